import type { Logger } from 'pino';
import type { RegisteredTool } from '../agent/tools.js';
import { ToolError } from '../errors.js';
import type { ArgumentProblem } from './argument-check.js';
import { extractArgs, parseSwaigRequest, type SwaigRequest } from './request.js';
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

/** Reply to a call of a function this agent does not have: HTTP 200, so the AI can tell the caller. */
export function unknownFunctionResponse(name: string): SwaigResponse {
  return { response: `The function ${name} is not available. Tell the caller this action cannot be done right now.` };
}

/** Reply when a secure function's token is missing or wrong: HTTP 200, nothing run. */
export function refusedFunctionResponse(name: string): SwaigResponse {
  return {
    response: `The ${name} function refused this request because its security check failed. Tell the caller the action could not be completed.`,
  };
}

/** Reply when the arguments do not match the function's parameters: HTTP 200 naming the field, handler not run. */
export function invalidArgumentsResponse(name: string, problem: ArgumentProblem): SwaigResponse {
  return {
    response: `The ${name} function was not run: the argument ${problem.field} ${problem.message}. Call it again with ${problem.field} corrected.`,
  };
}

/**
 * Decides whether a parsed request may run `tool`: returns a reply to send instead (refusal), or undefined to run it.
 */
export type SwaigGate = (request: SwaigRequest, tool: RegisteredTool) => SwaigResponse | undefined;

/**
 * Parses a SWAIG envelope, finds the function and runs it.
 * Throws AgentError (400) for a bad envelope. An unknown function, a request the gate refuses, arguments that do
 * not match the function's parameters, and a handler that throws all answer HTTP 200 with a sayable `response`, and are logged with the call id.
 */
export async function dispatchSwaig(
  body: unknown,
  lookup: (name: string) => RegisteredTool | undefined,
  logger: Logger,
  gate?: SwaigGate,
): Promise<SwaigResponse> {
  const request = parseSwaigRequest(body);
  const tool = lookup(request.function);
  if (!tool) {
    logger.warn({ call_id: request.call_id, function: request.function }, `SWAIG request for unknown function '${request.function}'`);
    return unknownFunctionResponse(request.function);
  }
  const refusal = gate?.(request, tool);
  if (refusal) return refusal;
  const args = extractArgs(request);
  const problem = tool.checkArgs?.(args);
  if (problem) {
    logger.warn(
      { call_id: request.call_id, function: tool.name, field: problem.field, problem: problem.message },
      'SWAIG arguments do not match the parameters',
    );
    return invalidArgumentsResponse(tool.name, problem);
  }
  try {
    const result = await tool.handler(args, request);
    return toSwaigResponse(result);
  } catch (err) {
    logger.error({ err, call_id: request.call_id, function: tool.name }, 'SWAIG function handler failed');
    return toolFailureResponse(tool.name, err);
  }
}
