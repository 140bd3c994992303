/** Progress of an upstream request, relayed to the downstream client under the token it asked with. */
import type { ProgressCallback, RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** A progress callback sending notifications/progress to the client; undefined when the client gave no token. */
export function forwardProgress(extra: RequestHandlerExtra<ServerRequest, ServerNotification>): ProgressCallback | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  return (progress) => {
    // Related to the request, so it travels on that request's own stream.
    void extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } }).catch(() => undefined);
  };
}
