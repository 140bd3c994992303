/** Progress of an upstream request, relayed to the downstream client under the token it asked with. */
import type { ProgressCallback, RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** Relays notifications/progress in order; `settled()` before answering, so none arrives after the result. */
export interface ProgressRelay {
  /** The callback for the upstream request; undefined when the client gave no progress token. */
  onprogress: ProgressCallback | undefined;
  /** Resolves once every relayed notification was handed to the transport. */
  settled(): Promise<void>;
}

export function relayProgress(extra: RequestHandlerExtra<ServerRequest, ServerNotification>): ProgressRelay {
  const progressToken = extra._meta?.progressToken;
  let chain = Promise.resolve();
  if (progressToken === undefined) return { onprogress: undefined, settled: () => chain };
  return {
    onprogress: (progress) => {
      // Related to the request, so it travels on that request's own stream, which closes with the answer.
      chain = chain.then(() => extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } })).catch(() => undefined);
    },
    settled: () => chain,
  };
}
