/** Turns gateway answers and failures into the SWAIG `response` text the AI says or acts on. */
import type { gatewayContract } from '../../src/index.js';
import { toolInWords } from './naming.js';

/** The parts of the gateway's 200 answer to `POST /services/:name/call` (gateway/contract.ts) this reads. */
export type GatewayCallAnswer = Pick<gatewayContract.CallResponse, 'result' | 'is_error' | 'structured_content' | 'session_reset'>;

/** What went wrong when the call produced no answer (see GatewayClient errors). */
export type CallFailure =
  | { kind: 'unreachable' }
  | { kind: 'timeout' }
  | { kind: 'invalid_answer'; problem: string }
  | { kind: 'http'; status: number; code?: string | undefined; message?: string | undefined };

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** Strips the protocol noise MCP servers put in front of validation messages ("MCP error -32602: ..."). */
function cleanMessage(message: string): string {
  return message.replace(/^MCP error -?\d+:\s*/i, '').trim();
}

/**
 * Reply text for a 200 answer: the result, or for `is_error` "The <service> service could not <tool>: <msg>".
 * When the gateway had to start a fresh server (`session_reset`), the AI is told that earlier state is gone.
 */
export function answerText(service: string, tool: string, answer: GatewayCallAnswer): string {
  const reply = replyText(service, tool, answer);
  if (!answer.session_reset) return reply;
  return `${reply} (Note: the ${service} service had to restart during this call, so anything it held from earlier in the call is gone.)`;
}

function replyText(service: string, tool: string, answer: GatewayCallAnswer): string {
  const result = text(answer.result);
  if (answer.is_error) {
    const reason = cleanMessage(result) || 'it reported an error without details';
    return `The ${service} service could not ${toolInWords(tool)}: ${reason}`;
  }
  if (result) return result;
  if (answer.structured_content !== undefined) return text(answer.structured_content);
  return `The ${service} service finished ${toolInWords(tool)} and returned nothing.`;
}

/** Reply text when no usable answer came back; never contains URLs, credentials or stack traces. */
export function failureText(service: string, tool: string, failure: CallFailure): string {
  const words = toolInWords(tool);
  switch (failure.kind) {
    case 'unreachable':
      return `The ${service} service is unavailable right now.`;
    case 'timeout':
      return `The ${service} service took too long to ${words}; it may or may not have completed.`;
    case 'invalid_answer':
      return `The ${service} service gave an answer that could not be read; it may or may not have completed ${words}.`;
    case 'http':
      return httpFailureText(service, words, failure);
  }
}

function httpFailureText(service: string, words: string, failure: Extract<CallFailure, { kind: 'http' }>): string {
  const detail = failure.message ? `: ${cleanMessage(failure.message)}` : '.';
  switch (failure.status) {
    case 400:
      return `The ${service} service could not ${words}${detail}`;
    case 404:
      return `The ${service} service cannot ${words} right now: that function is not available.`;
    case 429:
      return `The ${service} service is busy right now; try again in a moment.`;
    case 504:
      return `The ${service} service took too long to ${words}; it may or may not have completed.`;
    case 502:
      return `The ${service} service failed while trying to ${words}${detail}`;
    default:
      return `The ${service} service is unavailable right now.`;
  }
}
