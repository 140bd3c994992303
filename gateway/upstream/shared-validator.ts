/**
 * One JSON Schema validator for every SDK Client the gateway makes. The SDK's default builds an Ajv instance
 * (with formats) per Client and compiles every tool's outputSchema on each tools/list, although the gateway
 * never validates tool output there (calls go through client.request). Here compilation happens on a
 * validator's first use only, on one shared Ajv, and each distinct schema is compiled once (bounded cache).
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

/** Distinct compiled schemas kept; the oldest is dropped (and removed from Ajv) past this. */
const MAX_SCHEMAS = 256;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class SharedSchemaValidator implements jsonSchemaValidator {
  private ajv: Ajv | undefined;
  private provider: AjvJsonSchemaValidator | undefined;
  private readonly compiled = new Map<string, { schema: JsonSchemaType; validate: JsonSchemaValidator<unknown> }>();

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let validate: JsonSchemaValidator<T> | undefined;
    return (input) => {
      validate ??= this.compile(schema) as JsonSchemaValidator<T>;
      return validate(input);
    };
  }

  private compile(schema: JsonSchemaType): JsonSchemaValidator<unknown> {
    const key = JSON.stringify(schema);
    const known = this.compiled.get(key);
    if (known) return known.validate;
    if (!this.provider) {
      // The SDK's own settings (strict off, formats on, all errors).
      this.ajv = addFormats(new Ajv({ strict: false, validateFormats: true, validateSchema: false, allErrors: true }));
      this.provider = new AjvJsonSchemaValidator(this.ajv);
    }
    const validate = this.provider.getValidator<unknown>(schema);
    this.compiled.set(key, { schema, validate });
    if (this.compiled.size > MAX_SCHEMAS) {
      const [oldestKey, oldest] = this.compiled.entries().next().value as [string, { schema: JsonSchemaType }];
      this.compiled.delete(oldestKey);
      this.ajv?.removeSchema(oldest.schema as object);
    }
    return validate;
  }
}

/** The gateway's one instance. */
export const sharedSchemaValidator = new SharedSchemaValidator();
