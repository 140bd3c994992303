/** Test helper: validators compiled from the official SWML schema at ../shared/swml-schema.json. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const SWML_SCHEMA_PATH = fileURLToPath(new URL('../../../../../shared/swml-schema.json', import.meta.url));
export const hasSwmlSchema = existsSync(SWML_SCHEMA_PATH);

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

let ajv: Ajv2020 | undefined;
function compiler(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(JSON.parse(readFileSync(SWML_SCHEMA_PATH, 'utf8')) as object);
  return ajv;
}

function compiled(ref: string): ValidateFunction {
  const existing = compiler().getSchema(ref);
  if (existing) return existing;
  return compiler().compile({ $ref: ref });
}

/** Errors of `value` against `$defs/FunctionParameters` (empty when valid). */
export function functionParametersErrors(value: unknown): string[] {
  const validate = compiled('SWMLObject.json#/$defs/FunctionParameters');
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Errors of a whole SWML document against the root schema (empty when valid). */
export function swmlDocumentErrors(doc: unknown): string[] {
  const validate = compiled('SWMLObject.json');
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
