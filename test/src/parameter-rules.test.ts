/** The hand-written parameter rules agree with the vendored SWML schema's `$defs/FunctionParameters`. */
import { describe, expect, it } from 'vitest';
import { checkToolProperties } from '../../src/agent/parameter-rules.js';
import { functionParametersErrors } from '../helpers/swml-schema.js';

const CASES: Array<Record<string, unknown>> = [
  { type: 'string' },
  { type: 'string', description: 'd', enum: ['a', 'b'], default: 'a', format: 'date_time', pattern: '^a', nullable: true },
  { type: 'string', format: 'date-time' },
  { type: 'string', minLength: 1 },
  { type: 'integer' },
  { type: 'integer', minimum: 1 },
  { type: 'number', maximum: 3 },
  { type: 'number', enum: [1, 2] },
  { type: 'boolean', default: false },
  { type: 'boolean', enum: [true] },
  { type: ['string', 'null'] },
  { type: 'null' },
  { type: 'null', description: 'nothing' },
  { type: 'array' },
  { type: 'array', items: { type: 'string' } },
  { type: 'array', items: { type: 'array' } },
  { type: 'array', items: { type: 'object', properties: { a: { type: 'integer', minimum: 0 } } } },
  { type: 'array', items: { type: 'string' }, minItems: 1 },
  { type: 'object' },
  { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
  { type: 'object', additionalProperties: false },
  { type: 'tuple' },
  { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  { anyOf: [{ type: 'string' }, { type: 'array' }] },
  { allOf: [{ type: 'string' }], description: 'x' },
  { const: 'fixed' },
  { const: 'fixed', description: 'x' },
  { description: 'no type' },
];

describe('parameter rules', () => {
  it.each(CASES.map((c) => [JSON.stringify(c), c] as const))('%s: same verdict as the SWML schema', (_label, prop) => {
    const schemaOk = functionParametersErrors({ type: 'object', properties: { p: prop } }).length === 0;
    const problem = checkToolProperties({ p: prop });
    expect(problem === undefined, `rules say ${JSON.stringify(problem)}, schema says ${schemaOk ? 'valid' : 'invalid'}`).toBe(schemaOk);
  });
});
