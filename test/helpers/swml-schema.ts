/**
 * The official SWML schema for tests: `../shared/swml-schema.json` beside the repo. Every check is a no-op only
 * when that file is absent (`hasSwmlSchema`); documents go through the product's own `loadSwmlSchemaValidator`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { loadSwmlSchemaValidator } from '../../src/index.js';
import { ROOT } from './paths.js';

export const SWML_SCHEMA_PATH = join(ROOT, '../shared/swml-schema.json');
export const hasSwmlSchema = existsSync(SWML_SCHEMA_PATH);

/** Asserts 0 schema errors for a whole SWML document (a no-op only when the schema file is absent). Returns the doc. */
export function expectValidSwml<T>(doc: T): T {
  if (!hasSwmlSchema) return doc;
  const { valid, errors } = loadSwmlSchemaValidator(SWML_SCHEMA_PATH)(doc);
  expect(errors, `SWML schema errors:\n${JSON.stringify(errors.slice(0, 10), null, 2)}`).toEqual([]);
  expect(valid).toBe(true);
  return doc;
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;
let functionParameters: ValidateFunction | undefined;

/**
 * Errors of `value` against the schema's `$defs/FunctionParameters` (empty when valid). The product validator
 * only checks whole documents, so this one sub-schema is compiled here, once per worker.
 */
export function functionParametersErrors(value: unknown): string[] {
  if (!functionParameters) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(readFileSync(SWML_SCHEMA_PATH, 'utf8')) as object);
    functionParameters = ajv.compile({ $ref: 'SWMLObject.json#/$defs/FunctionParameters' });
  }
  const validate = functionParameters;
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Asserts `parameters` is valid SWML `FunctionParameters` (a no-op only when the schema file is absent). */
export function expectValidFunctionParameters(parameters: unknown, label = 'parameters'): void {
  if (hasSwmlSchema) expect(functionParametersErrors(parameters), label).toEqual([]);
}
