/**
 * JSON Schema (MCP tool `inputSchema`) → SWML SWAIG property conversion that keeps everything the LLM needs
 * while producing only shapes the SWML `SchemaType` union accepts. See README "Schema conversion".
 */
import { composeDescription } from './notes.js';
import { anyValue, convertTyped } from './typed.js';
import { convertAllOf, convertUnion } from './composite.js';
import { isObject, isPrimitiveType, jsonTypeOf, refName, resolveLocalRef, type JsonObject, type PrimitiveType, type SwaigProperty } from './json-schema.js';

/** Deeper than this, a sub-schema is described as "any value": no LLM provider accepts such depth anyway. */
const MAX_DEPTH = 24;
/** Upper bound on converted nodes, so shared `$ref`s cannot blow up exponentially. */
const MAX_NODES = 5000;

const STRING_HINTS = ['pattern', 'minLength', 'maxLength', 'format', 'contentMediaType', 'contentEncoding'];
const NUMBER_HINTS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

/** Converts sub-schemas of one root document; holds the `$ref` stack that guards against cycles. */
export class SchemaConverter {
  private readonly refStack: string[] = [];
  private nodes = 0;

  constructor(readonly root: unknown) {}

  /** Converts one (sub-)schema; `name` is the property name, used to spot titles that only repeat it. */
  convert = (node: unknown, name: string | undefined, depth: number): SwaigProperty => {
    this.nodes += 1;
    if (depth > MAX_DEPTH || this.nodes > MAX_NODES) {
      return anyValue(composeDescription(isObject(node) ? node : {}, ['nested too deeply to describe'], name));
    }
    if (node === false) return { type: 'null', description: 'Must be left out' };
    if (!isObject(node)) return anyValue(undefined);
    if (typeof node.$ref === 'string') return this.convertRef(node, node.$ref, name, depth);
    if (Array.isArray(node.allOf)) return convertAllOf(node, { name, depth, conv: this });
    if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf)) return convertUnion(node, { name, depth, conv: this });
    if ('const' in node) return this.convertConst(node, name, depth);
    return this.convertByType(node, name, depth);
  };

  /** Resolves a local `$ref` for merging; undefined when remote, missing, or already being expanded. */
  peekRef(ref: string): unknown {
    return this.refStack.includes(ref) ? undefined : resolveLocalRef(this.root, ref);
  }

  private convertRef(node: JsonObject, ref: string, name: string | undefined, depth: number): SwaigProperty {
    const { $ref: _ref, ...siblings } = node;
    const target = resolveLocalRef(this.root, ref);
    if (this.refStack.includes(ref)) {
      const type = isObject(target) && isPrimitiveType(target.type) && target.type !== 'null' ? target.type : 'object';
      const described = { description: siblings.description ?? (isObject(target) ? target.description : undefined) };
      return convertTyped(described, type, {
        name,
        depth,
        nullable: false,
        recurse: this.convert,
        extraNotes: [`same structure as ${refName(ref)}, nested`],
      });
    }
    if (target === undefined) return anyValue(composeDescription(siblings, [`described by ${ref}`], name));
    this.refStack.push(ref);
    try {
      return this.convert(isObject(target) ? { ...target, ...siblings } : target, name, depth + 1);
    } finally {
      this.refStack.pop();
    }
  }

  private convertConst(node: JsonObject, name: string | undefined, depth: number): SwaigProperty {
    const { const: value, ...rest } = node;
    const type = jsonTypeOf(value);
    const opts = { name, depth, nullable: false, recurse: this.convert };
    // enum:[v] says the same as const but, unlike SWML's ConstProperty, can keep the description.
    if (type === 'string' || type === 'integer' || type === 'number') {
      const declared = rest.type === 'number' ? 'number' : type;
      return convertTyped({ ...rest, enum: [value] }, declared, opts);
    }
    if (type === 'null') return convertTyped(rest, 'null', opts);
    const note = `must be exactly ${JSON.stringify(value)}`;
    return convertTyped({ ...rest, default: value, enum: undefined }, type, { ...opts, extraNotes: [note] });
  }

  private convertByType(node: JsonObject, name: string | undefined, depth: number): SwaigProperty {
    const declared = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
    const types = declared.filter(isPrimitiveType);
    let nullable = node.nullable === true || types.includes('null') || (Array.isArray(node.enum) && node.enum.includes(null));
    let concrete: PrimitiveType[] = types.filter((t) => t !== 'null');
    if (types.length > 0 && concrete.length === 0) return convertTyped(node, 'null', { name, depth, nullable, recurse: this.convert });
    if (concrete.length === 0) {
      const inferred = inferTypes(node);
      if (inferred.nullable) nullable = true;
      concrete = inferred.types;
    }
    if (concrete.length === 0) return anyValue(composeDescription(node, [], name));
    const branches = concrete.map((type) => convertTyped(enumSubset(node, type), type, { name, depth, nullable, recurse: this.convert }));
    return branches.length === 1 ? (branches[0] as SwaigProperty) : { anyOf: branches };
  }
}

/** For one branch of a multi-type schema, keeps only the enum values of that type. */
function enumSubset(node: JsonObject, type: PrimitiveType): JsonObject {
  if (!Array.isArray(node.enum)) return node;
  const values = node.enum.filter((v) => v !== null && (jsonTypeOf(v) === type || (type === 'number' && jsonTypeOf(v) === 'integer')));
  return { ...node, enum: values.length > 0 ? values : undefined };
}

/** Types implied by an untyped schema's keywords or enum values. */
function inferTypes(node: JsonObject): { types: PrimitiveType[]; nullable: boolean } {
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    const kinds = new Set(node.enum.map(jsonTypeOf));
    const nullable = kinds.delete('null');
    if (kinds.has('integer') && kinds.has('number')) kinds.delete('integer');
    return { types: [...kinds], nullable };
  }
  if (isObject(node.properties) || 'additionalProperties' in node || Array.isArray(node.required)) return { types: ['object'], nullable: false };
  if ('items' in node || 'prefixItems' in node) return { types: ['array'], nullable: false };
  if (STRING_HINTS.some((key) => key in node)) return { types: ['string'], nullable: false };
  if (NUMBER_HINTS.some((key) => key in node)) return { types: ['number'], nullable: false };
  if ('default' in node && node.default !== null) return { types: [jsonTypeOf(node.default)], nullable: false };
  return { types: [], nullable: false };
}
