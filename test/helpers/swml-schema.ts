/**
 * The official SWML schema for tests: the copy vendored in the package (`schemas/swml-schema.json`), the same
 * file the product validator and swaig-test use. Checks never skip: a missing file fails the test.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { loadSwmlSchemaValidator, swmlSchemaPath } from '../../src/index.js';

export { swmlSchemaPath };

/** Asserts 0 schema errors for a whole SWML document. Returns the doc. */
export function expectValidSwml<T>(doc: T): T {
  const { valid, errors } = loadSwmlSchemaValidator(swmlSchemaPath)(doc);
  expect(errors, `SWML schema errors:\n${JSON.stringify(errors.slice(0, 10), null, 2)}`).toEqual([]);
  expect(valid).toBe(true);
  return doc;
}

/** Schema errors of a whole SWML document (empty when valid), for tests that expect a document to fail. */
export function swmlErrors(doc: unknown): string[] {
  return loadSwmlSchemaValidator(swmlSchemaPath)(doc).errors.map((e) => `${e.path} ${e.message}`);
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
    ajv.addSchema(JSON.parse(readFileSync(swmlSchemaPath, 'utf8')) as object);
    functionParameters = ajv.compile({ $ref: 'SWMLObject.json#/$defs/FunctionParameters' });
  }
  const validate = functionParameters;
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Asserts `parameters` is valid SWML `FunctionParameters`. */
export function expectValidFunctionParameters(parameters: unknown, label = 'parameters'): void {
  expect(functionParametersErrors(parameters), label).toEqual([]);
}
