import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadSwmlSchemaValidator } from '../../../src/index.js';

/** The official SWML schema lives beside the repo: `../shared/swml-schema.json`. */
export const SWML_SCHEMA_PATH = fileURLToPath(new URL('../../../../shared/swml-schema.json', import.meta.url));
export const schemaAvailable = existsSync(SWML_SCHEMA_PATH);

let validated = 0;

/** Asserts 0 schema errors (a no-op only when the schema file is absent). Returns the doc for chaining. */
export function expectValidSwml<T>(doc: T): T {
  if (!schemaAvailable) return doc;
  const { valid, errors } = loadSwmlSchemaValidator(SWML_SCHEMA_PATH)(doc);
  expect(errors, `SWML schema errors:\n${JSON.stringify(errors.slice(0, 10), null, 2)}`).toEqual([]);
  expect(valid).toBe(true);
  validated += 1;
  return doc;
}

/** How many documents this worker validated (lets a suite prove it really checked). */
export function validatedCount(): number {
  return validated;
}
