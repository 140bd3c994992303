/**
 * Destructive tools on a phone call: the function asks the AI to confirm aloud first and to say so in an extra
 * boolean argument; a call without it is refused with a sayable answer and never reaches the server.
 *
 * The argument is deliberately not in `required`: the agent checks declared parameters before a handler runs, and
 * a missing required argument would get the generic "is required" answer, which invites the AI to fill in `true`
 * without asking. Left optional, the omission reaches the handler, whose refusal tells the AI to ask the caller.
 */
import type { FunctionParameters } from '../schema/index.js';
import { toolInWords } from '../naming.js';

const CANDIDATE_NAMES = ['confirmed', 'caller_confirmed', 'mcp_confirmed'];

/** The argument that carries the confirmation: `confirmed`, unless the tool already has a parameter of that name. */
export function confirmationArgument(parameters: FunctionParameters): string {
  const taken = new Set(Object.keys(parameters.properties ?? {}));
  return CANDIDATE_NAMES.find((n) => !taken.has(n)) ?? `confirmed_${taken.size}`;
}

/** The parameters with the (optional, see above) confirmation argument added. */
export function withConfirmation(parameters: FunctionParameters, argument: string): FunctionParameters {
  return {
    ...parameters,
    properties: {
      ...parameters.properties,
      [argument]: { type: 'boolean', description: 'true only after the caller has clearly said yes to this exact action' },
    },
  };
}

/** The sentence added to the function's description. */
export function confirmationNote(argument: string): string {
  return `This cannot be undone: confirm with the caller first. Tell them exactly what will happen, wait for a clear yes, then call with ${argument} set to true.`;
}

/** True when the model passed the confirmation (the argument check already refused anything but a boolean). */
export function isConfirmed(args: Record<string, unknown>, argument: string): boolean {
  return args[argument] === true;
}

/** The sayable refusal of an unconfirmed call. */
export function refusalText(service: string, tool: string, argument: string): string {
  return `I have not done that yet: to ${toolInWords(tool)} with the ${service} service I need the caller's confirmation first, because it cannot be undone. Ask the caller to confirm, and if they say yes, call again with ${argument} set to true.`;
}
