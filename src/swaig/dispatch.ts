import type { Logger } from 'pino';
import type { RegisteredTool } from '../agent/tools.js';
import { NotFoundError, ToolError } from '../errors.js';
import { extractArgs, parseSwaigRequest } from './request.js';
import { toSwaigResponse, type SwaigResponse } from './result.js';

const MAX_SAFE_MESSAGE = 160;

/**
 * A short message safe to hand to the AI: ToolError messages verbatim, otherwise the first line of the
 * error's message with URL credentials redacted, truncated to 160 characters.
 */
export function safeErrorMessage(err: unknown): string {
  if (err instanceof ToolError) return err.message;
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unexpected error';
  const firstLine = (raw.split('\n')[0] ?? '').trim() || 'unexpected error';
  const redacted = firstLine.replace(/\/\/[^/\s@]+@/g, '//***@').replace(/(bearer\s+)\S+/gi, '$1***');
  return redacted.length > MAX_SAFE_MESSAGE ? `${redacted.slice(0, MAX_SAFE_MESSAGE - 1)}…` : redacted;
}

/** The reply sent when a handler throws (HTTP 200 so the AI can tell the caller). */
export function toolFailureResponse(name: string, err: unknown): SwaigResponse {
  const msg = safeErrorMessage(err).replace(/[.\s]+$/, '');
  return { response: `The ${name} tool failed: ${msg}. Tell the caller it could not be completed.` };
}

/**
 * Parses a SWAIG envelope, finds the tool and runs it.
 * Throws BadRequestError (400) for a bad envelope and NotFoundError (404) for an unknown function;
 * a handler that throws becomes a 200 failure reply, logged with the call id.
 */
export async function dispatchSwaig(
  body: unknown,
  lookup: (name: string) => RegisteredTool | undefined,
  logger: Logger,
): Promise<SwaigResponse> {
  const request = parseSwaigRequest(body);
  const tool = lookup(request.function);
  if (!tool) throw new NotFoundError(`Unknown function: ${request.function}`, 'unknown_function', 'function');
  const args = extractArgs(request);
  try {
    const result = await tool.handler(args, request);
    return toSwaigResponse(result);
  } catch (err) {
    logger.error({ err, call_id: request.call_id, function: tool.name }, 'SWAIG function handler failed');
    return toolFailureResponse(tool.name, err);
  }
}
