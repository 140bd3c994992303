import { describe, expect, it } from 'vitest';
import { convertInputSchema } from '../../../skills/mcp_gateway/schema/index.js';
import { expectValidFunctionParameters } from '../../helpers/swml-schema.js';

/** Converts and asserts the result is valid SWML `FunctionParameters`. */
function convert(schema: unknown) {
  const out = convertInputSchema(schema);
  expectValidFunctionParameters(out.parameters);
  return out;
}

const prop = (schema: unknown) => convert({ type: 'object', properties: { x: schema } }).parameters.properties.x ?? {};

describe('convertInputSchema: shapes SWML allows natively', () => {
  it('keeps the todo add_todo schema exactly, required included', () => {
    const schema = {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'The todo item text' },
        priority: { type: 'string', description: 'Priority level', enum: ['low', 'medium', 'high'], default: 'medium' },
      },
      required: ['text'],
      $schema: 'http://json-schema.org/draft-07/schema#',
    };
    const { $schema: _s, ...expected } = schema;
    expect(convert(schema)).toEqual({ parameters: expected });
  });

  it('keeps nested objects inside arrays with their own required lists', () => {
    const entities = {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'The name' },
          observations: { type: 'array', items: { type: 'string' }, description: 'Notes' },
        },
        required: ['name', 'observations'],
      },
    };
    const out = convert({ type: 'object', properties: { entities }, required: ['entities'] });
    expect(out.parameters).toEqual({ type: 'object', properties: { entities }, required: ['entities'] });
  });

  it('accepts a schema with no properties and a missing schema', () => {
    expect(convert({ type: 'object' }).parameters).toEqual({ type: 'object', properties: {} });
    expect(convert(undefined).parameters).toEqual({ type: 'object', properties: {} });
  });

  it('handles properties literally named type and properties', () => {
    const schema = {
      type: 'object',
      properties: { type: { type: 'string', enum: ['a', 'b'] }, properties: { type: 'object', properties: { k: { type: 'integer' } } } },
      required: ['type'],
    };
    expect(convert(schema).parameters).toEqual(schema);
  });
});

describe('convertInputSchema: keywords SWML forbids become description text', () => {
  it('folds numeric and string constraints', () => {
    expect(prop({ type: 'number', description: 'Count', minimum: 1, maximum: 10 })).toEqual({
      type: 'number',
      description: 'Count (minimum 1, maximum 10)',
    });
    expect(prop({ type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' })).toEqual({
      type: 'string',
      description: '(at least 2 characters, at most 5 characters)',
      pattern: '^[a-z]+$',
    });
    expect(prop({ type: 'integer', pattern: '^\\d+$', exclusiveMinimum: 0 }).description).toBe('(greater than 0, pattern /^\\d+$/)');
  });

  it('folds array and object constraints, examples and meaningful titles', () => {
    expect(prop({ type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }).description).toBe('(at least 1 item, items must be unique)');
    expect(prop({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({
      type: 'object',
      description: '(other keys allowed, each value string)',
    });
    expect(prop({ type: 'string', title: 'Full name', examples: ['Ada'] }).description).toBe('Full name (examples: "Ada")');
    expect(prop({ type: 'string', title: 'X', description: 'the x' }).description).toBe('the x');
  });

  it('maps formats to the SWML spelling and mentions unknown ones', () => {
    expect(prop({ type: 'string', format: 'date-time' })).toEqual({ type: 'string', format: 'date_time' });
    expect(prop({ type: 'string', format: 'uri' })).toEqual({ type: 'string', format: 'uri' });
    expect(prop({ type: 'string', format: 'uri-reference', description: 'Link' })).toEqual({
      type: 'string',
      description: 'Link (format uri-reference)',
    });
    expect(prop({ type: 'integer', format: 'int32' })).toEqual({ type: 'integer', description: '(format int32)' });
  });

  it('keeps defaults of the right type and mentions the others', () => {
    expect(prop({ type: 'integer', default: 3 })).toEqual({ type: 'integer', default: 3 });
    expect(prop({ type: 'integer', default: 'three' })).toEqual({ type: 'integer', description: '(default "three")' });
    expect(prop({ type: 'string', default: null })).toEqual({ type: 'string', description: '(default null)', nullable: true });
  });
});

describe('convertInputSchema: types and composition', () => {
  it('turns type arrays and null branches into nullable', () => {
    expect(prop({ type: ['string', 'null'], description: 'Note' })).toEqual({ type: 'string', description: 'Note', nullable: true });
    expect(prop({ anyOf: [{ type: 'integer' }, { type: 'null' }], description: 'Age' })).toEqual({
      type: 'integer',
      description: 'Age',
      nullable: true,
    });
    expect(prop({ type: 'string', enum: ['a', null] })).toEqual({ type: 'string', enum: ['a'], nullable: true });
  });

  it('splits multi-type schemas into an anyOf carrying the description on each branch', () => {
    expect(prop({ type: ['string', 'integer'], description: 'Id', enum: ['x', 1] })).toEqual({
      anyOf: [
        { type: 'string', description: 'Id', enum: ['x'] },
        { type: 'integer', description: 'Id', enum: [1] },
      ],
    });
  });

  it('keeps anyOf/oneOf of different shapes, with the parent description on every branch', () => {
    const out = prop({
      description: 'Target',
      oneOf: [
        { type: 'string', format: 'email' },
        { type: 'object', properties: { phone: { type: 'string' } }, required: ['phone'] },
      ],
    });
    expect(out).toEqual({
      oneOf: [
        { type: 'string', description: 'Target', format: 'email' },
        { type: 'object', description: 'Target', properties: { phone: { type: 'string' } }, required: ['phone'] },
      ],
    });
  });

  it('turns const into a one-value enum and const branches into a labelled enum', () => {
    expect(prop({ const: 'fixed', description: 'Mode' })).toEqual({ type: 'string', description: 'Mode', enum: ['fixed'] });
    expect(
      prop({
        oneOf: [
          { const: 'a', title: 'Alpha' },
          { const: 'b', description: 'Beta' },
        ],
      }),
    ).toEqual({
      type: 'string',
      description: '("a" = Alpha; "b" = Beta)',
      enum: ['a', 'b'],
    });
    expect(prop({ const: true })).toEqual({ type: 'boolean', description: '(must be exactly true)', default: true });
  });

  it('merges allOf object branches and keeps other allOf', () => {
    expect(prop({ allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } } }] })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a'],
    });
    expect(prop({ allOf: [{ type: 'string' }, { minLength: 3 }] })).toEqual({
      allOf: [{ type: 'string' }, { type: 'string', description: '(at least 3 characters)' }],
    });
  });

  it('describes constraint-only branches such as "a or b required"', () => {
    const out = convert({
      type: 'object',
      properties: { email: { type: 'string' }, phone: { type: 'string' } },
      anyOf: [{ required: ['email'] }, { required: ['phone'] }],
    });
    expect(out.parameters.properties).toEqual({ email: { type: 'string' }, phone: { type: 'string' } });
    expect(out.description).toBe('(give at least one of: email | phone)');
  });

  it('merges alternative top-level argument shapes into one object', () => {
    const out = convert({
      oneOf: [
        { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        { type: 'object', properties: { name: { type: 'string' }, exact: { type: 'boolean' } }, required: ['name'] },
      ],
    });
    expect(out.parameters).toEqual({
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' }, exact: { type: 'boolean' } },
    });
    expect(out.description).toBe('Arguments take exactly one of these forms: (id) | (name, exact?).');
  });

  it('gives arrays without items a derived item type', () => {
    expect(prop({ type: 'array', default: ['a'] })).toEqual({ type: 'array', items: { type: 'string' }, default: ['a'] });
    expect(prop({ type: 'array' })).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }] },
    });
    expect(prop({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] })).toEqual({
      type: 'array',
      description: '(in this order: number, number)',
      items: { anyOf: [{ type: 'number' }, { type: 'number' }] },
    });
  });

  it('describes untyped and boolean schemas as any value', () => {
    const any = prop({ description: 'Anything' });
    expect(any.anyOf).toHaveLength(5);
    expect((any.anyOf as Array<{ description: string }>).every((b) => b.description === 'Anything')).toBe(true);
    expect(prop(true).anyOf).toHaveLength(5);
    expect(prop({ minimum: 0 })).toEqual({ type: 'number', description: '(minimum 0)' });
    expect(prop({ enum: [1, 2.5] })).toEqual({ type: 'number', enum: [1, 2.5] });
  });
});

describe('convertInputSchema: $ref and $defs', () => {
  it('inlines local references with sibling keywords winning', () => {
    const out = convert({
      type: 'object',
      $defs: { Priority: { type: 'string', enum: ['low', 'high'], description: 'How urgent' } },
      properties: { p: { $ref: '#/$defs/Priority', description: 'Priority of the item' }, q: { allOf: [{ $ref: '#/definitions/Q' }] } },
      definitions: { Q: { type: 'integer' } },
    });
    expect(out.parameters.properties).toEqual({
      p: { type: 'string', description: 'Priority of the item', enum: ['low', 'high'] },
      q: { type: 'integer' },
    });
  });

  it('stops at recursive references and says so', () => {
    const out = convert({
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          description: 'A tree node',
          properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          required: ['value'],
        },
      },
    });
    expect(out.parameters.required).toEqual(['value']);
    expect(out.parameters.properties.children).toEqual({
      type: 'array',
      items: { type: 'object', description: 'A tree node (same structure as Node, nested)' },
    });
  });

  it('describes unresolvable references instead of failing', () => {
    const out = prop({ $ref: 'https://example.com/schema.json' });
    expect(out.anyOf).toBeDefined();
  });
});

describe('convertInputSchema: robustness', () => {
  it('produces valid parameters for a kitchen-sink schema', () => {
    const out = convert({
      type: 'object',
      $defs: { Tag: { type: ['string', 'null'], maxLength: 20 } },
      properties: {
        when: { type: 'string', format: 'date-time', default: 5 },
        tags: { type: 'array', items: { $ref: '#/$defs/Tag' }, maxItems: 3 },
        meta: { type: 'object', patternProperties: { '^x-': { type: 'string' } }, propertyNames: { pattern: '^[a-z-]+$' } },
        mode: { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'integer' }, { type: 'null' }], default: 'a' },
        weird: { type: 'frobnicate', not: { type: 'string' } },
        never: false,
        deep: { type: 'object', properties: { a: { type: 'object', properties: { b: { oneOf: [{ type: 'boolean' }, { type: 'array' }] } } } } },
      },
      required: ['when', 'tags', 42],
      additionalProperties: false,
    });
    expect(out.parameters.required).toEqual(['when', 'tags']);
    expect(out.parameters.properties.when).toEqual({ type: 'string', description: '(default 5)', format: 'date_time' });
    expect(out.parameters.properties.tags).toEqual({
      type: 'array',
      description: '(at most 3 items)',
      items: { type: 'string', description: '(at most 20 characters)', nullable: true },
    });
  });

  it('survives very deep nesting', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 60; i++) schema = { type: 'object', properties: { n: schema } };
    convert(schema);
  });
});
