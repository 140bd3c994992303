/** The gateway session id of a call: `global_data.mcp_call_id`, else `call_id` (seed behaviour). */
import { createHash, randomUUID } from 'node:crypto';
import { gatewayContract } from '../../src/index.js';

/** The fields of a SWAIG envelope this needs. */
export interface SessionSource {
  call_id?: string | undefined;
  global_data?: Record<string, unknown> | undefined;
}

/** The raw call key of a request, or undefined when the envelope carries none. */
export function callKey(request: SessionSource): string | undefined {
  const override = request.global_data?.mcp_call_id;
  if (typeof override === 'string' && override.trim() !== '') return override;
  return request.call_id && request.call_id.trim() !== '' ? request.call_id : undefined;
}

/** Maps a call key to a valid gateway session id (ids outside the gateway's alphabet are hashed, stably). */
export function toSessionId(key: string): string {
  return gatewayContract.SESSION_ID_PATTERN.test(key) ? key : `h-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** Session id for a tool call; a request without any call id gets a fresh one-off id (no shared state). */
export function sessionIdFor(request: SessionSource): { id: string; fromCall: boolean } {
  const key = callKey(request);
  return key === undefined ? { id: `nocall-${randomUUID()}`, fromCall: false } : { id: toSessionId(key), fromCall: true };
}
