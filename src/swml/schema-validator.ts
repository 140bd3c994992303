import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** One schema violation: where (JSON pointer into the document) and what. */
export interface SwmlSchemaError {
  path: string;
  message: string;
}

/** Result of validating a SWML document. */
export interface SwmlValidation {
  valid: boolean;
  errors: SwmlSchemaError[];
}

export type SwmlValidator = (doc: unknown) => SwmlValidation;

/**
 * SignalWire's official SWML JSON Schema, vendored in the package (`schemas/swml-schema.json`, see
 * `schemas/README.md`). Resolved from this module's location, so it works from any cwd and once installed.
 */
export const swmlSchemaPath = fileURLToPath(new URL('../../schemas/swml-schema.json', import.meta.url));

const cache = new Map<string, SwmlValidator>();
const instances = new Map<string, Ajv2020>();
const rawSchemas = new Map<string, { $defs?: Record<string, { properties?: object }> }>();

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/** One ajv instance per schema file, holding the parsed schema; whole-document and part validators share it. */
function ajvFor(key: string): Ajv2020 {
  let ajv = instances.get(key);
  if (!ajv) {
    const schema = JSON.parse(readFileSync(key, 'utf8')) as { $defs?: Record<string, { properties?: object }> };
    rawSchemas.set(key, structuredClone(schema));
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(schema, SCHEMA_ID);
    instances.set(key, ajv);
  }
  return ajv;
}

const SCHEMA_ID = 'swml-schema';

function toValidator(validate: ValidateFunction): SwmlValidator {
  return (doc) => {
    const valid = validate(doc) === true;
    const errors = (validate.errors ?? []).map((e) => ({
      path: e.instancePath === '' ? '/' : e.instancePath,
      message: `${e.message ?? 'invalid'}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`,
    }));
    return { valid, errors: valid ? [] : errors };
  };
}

/**
 * Compiles a SWML JSON Schema (draft 2020-12; default: the vendored official one) with ajv + ajv-formats and
 * returns a validator. Compiling the ~500 KB schema takes a moment, so validators are cached per resolved path.
 * Throws if the file is missing or not JSON.
 */
export function loadSwmlSchemaValidator(schemaPath: string = swmlSchemaPath): SwmlValidator {
  const key = resolve(schemaPath);
  const cached = cache.get(key);
  if (cached) return cached;
  const validator = toValidator(ajvFor(key).compile({ $ref: SCHEMA_ID }));
  cache.set(key, validator);
  return validator;
}

/** Property names of `$defs/<name>` in the vendored schema (e.g. the 92 known `ai.params`). */
export function swmlSchemaDefinitionKeys(name: string): string[] {
  const key = resolve(swmlSchemaPath);
  ajvFor(key);
  return Object.keys(rawSchemas.get(key)?.$defs?.[name]?.properties ?? {});
}

/**
 * A validator for one definition of the vendored schema (`$defs/<name>`, e.g. `FunctionParameters`, `AIParams`),
 * compiled on first use and cached. Used to refuse at definition time what would render invalid SWML.
 */
export function swmlSchemaPart(name: string): SwmlValidator {
  const key = `${resolve(swmlSchemaPath)}#${name}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const file = resolve(swmlSchemaPath);
  const ajv = ajvFor(file);
  // A small schema of its own that shares the definitions: ajv then compiles only what this part reaches, not the
  // whole document (seconds); parts that reach a full SWML document (DataMap actions) still resolve it by $id.
  const part = { $id: `${name.replace(/\W/g, '_')}.part.json`, $defs: rawSchemas.get(file)?.$defs ?? {}, $ref: `#/$defs/${name}` };
  const validator = toValidator(ajv.compile(part));
  cache.set(key, validator);
  return validator;
}
