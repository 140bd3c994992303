/**
 * Checks a SWAIG call's arguments against the function's declared `parameters` (JSON Schema) with ajv. The
 * validator is compiled once, when the function is defined; a call that does not match never reaches the handler.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The first argument that does not match: `field` is its dotted path (`items.0.name`). */
export interface ArgumentProblem {
  field: string;
  message: string;
}

/** Returns the first problem with `args`, or undefined when they match the parameters. */
export type ArgumentCheck = (args: Record<string, unknown>) => ArgumentProblem | undefined;

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

let shared: Ajv2020 | undefined;

/** One ajv for every function; `addUsedSchema: false` so two tools may reuse one `$id`. */
function ajv(): Ajv2020 {
  if (!shared) {
    shared = new Ajv2020({ strict: false, allErrors: false, addUsedSchema: false, validateSchema: false });
    addFormats(shared);
  }
  return shared;
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const child = params.missingProperty ?? params.additionalProperty;
  if (child !== undefined) path.push(child);
  return path.join('.') || '(arguments)';
}

function messageOf(error: ErrorObject): string {
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string };
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not a parameter of this function';
  if (error.keyword === 'enum' && params.allowedValues) return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return error.message ?? 'is not valid';
}

/** Compiles the check for one function's parameters; throws when ajv cannot compile them. */
export function compileArgumentCheck(parameters: object): ArgumentCheck {
  const validate = ajv().compile(parameters);
  return (args) => {
    if (validate(args)) return undefined;
    const error = validate.errors?.[0];
    return error === undefined ? { field: '(arguments)', message: 'are not valid' } : { field: fieldOf(error), message: messageOf(error) };
  };
}
