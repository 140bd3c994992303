import { z } from 'zod';
import { AgentConfigError } from '../errors.js';
import { swmlSchemaDefinitionKeys, swmlSchemaPart } from '../swml/schema-validator.js';
import { contextsToWire, type ContextsDefinition } from './contexts.js';
import { cloneConfigState, emptyConfigState, type ConfigState } from './config-state.js';
import {
  checkSwaigFields,
  normalizeDataMapTool,
  normalizeTool,
  type SwaigFields,
  type DataMapToolDefinition,
  type RegisteredTool,
  type ToolDefinition,
  type ToolHandler,
  type ToolParameters,
} from './tools.js';
import {
  hintSchema,
  languageSchema,
  nativeFunctionSchema,
  parseOrThrow,
  promptSectionSchema,
  promptSettingsSchema,
  pronounceSchema,
  verbSchema,
  type Hint,
  type Language,
  type NativeFunction,
  type PromptSection,
  type PromptSettings,
  type Pronounce,
  type SwmlVerb,
} from './schemas.js';

const jsonObject = z.record(z.string(), z.unknown());

/**
 * Type-checks `ai.params` values against the SWML schema's `AIParams` (unknown keys pass, as the schema allows).
 * Throws an AgentConfigError naming `params.<key>`.
 */
function checkAiParams(params: Record<string, unknown>): Record<string, unknown> {
  // One small validator per key actually used (compiling all of AIParams at once costs about a second).
  for (const [key, value] of Object.entries(params)) {
    if (!AI_PARAM_NAMES.has(key)) continue;
    checkPart(`AIParams/properties/${key}`, value, `params.${key}`);
  }
  return params;
}

const AI_PARAM_NAMES = new Set(swmlSchemaDefinitionKeys('AIParams'));

/** Checks `value` against `$defs/<part>` of the SWML schema; AgentConfigError naming `<what>.<path>`. */
function checkPart<T>(part: string, value: T, what: string): T {
  const { valid, errors } = swmlSchemaPart(part)(value);
  if (valid) return value;
  const error = errors.find((e) => e.path !== '/') ?? errors[0];
  const field = `${what}${(error?.path ?? '').replace(/\//g, '.').replace(/\.$/, '')}`;
  throw new AgentConfigError('invalid_config', `${field}: ${error?.message ?? 'invalid value'} (SWML ${part})`, { field });
}

/** Summary of one function for listings (swaig-test, docs). */
export interface ToolInfo {
  name: string;
  description: string;
  parameters: ToolParameters;
  kind: 'tool' | 'hook';
}

/**
 * The declarative part of an agent: prompt, post-prompt, hints, languages, pronunciations, params,
 * global_data, native functions and extra verbs. Every setter validates its input (AgentConfigError naming
 * the field) and returns `this` for chaining.
 */
export class AgentConfig {
  /** @internal The declarative state; the base config of an Agent, or a per-request copy. */
  protected readonly state: ConfigState;

  /** @param state start from this state (used for per-request copies); default: empty. */
  constructor(state: ConfigState = emptyConfigState()) {
    this.state = state;
  }

  /**
   * A deep, independent copy of this configuration. Per-request configuration works on one of these, so a
   * request's changes never reach the agent's base config or another request.
   */
  clone(): AgentConfig {
    return new AgentConfig(cloneConfigState(this.state));
  }

  /** Plain-text prompt. With POM sections too, it becomes the untitled first section. */
  setPrompt(text: string): this {
    this.state.promptText = parseOrThrow(z.string().min(1), text, 'prompt');
    return this;
  }

  /** Adds a POM section `{title, body?, bullets?, numbered?, numberedBullets?, subsections?}`. */
  promptAddSection(section: PromptSection): this {
    const parsed = parseOrThrow(promptSectionSchema, section, 'promptSection');
    if (!parsed.title) throw new AgentConfigError('invalid_config', 'promptSection.title: is required', { field: 'promptSection.title' });
    this.state.promptSections.push(parsed);
    return this;
  }

  /** True when a section with this title exists. */
  promptHasSection(title: string): boolean {
    return this.state.promptSections.some((s) => s.title === title);
  }

  /** LLM knobs on `prompt`: max_tokens, temperature, top_p, confidence, presence/frequency_penalty. */
  setPromptSettings(settings: PromptSettings): this {
    this.state.promptSettings = parseOrThrow(promptSettingsSchema, settings, 'promptSettings');
    return this;
  }

  /** Post-prompt text: the AI's instructions for the end-of-call summary. */
  setPostPrompt(text: string, settings: PromptSettings = {}): this {
    this.state.postPrompt = parseOrThrow(z.string().min(1), text, 'postPrompt');
    this.state.postPromptSettings = parseOrThrow(promptSettingsSchema, settings, 'postPromptSettings');
    return this;
  }

  /** Send the summary to an external URL instead of this agent's `/post_prompt`. */
  setPostPromptUrl(url: string): this {
    this.state.postPromptUrl = parseOrThrow(z.url({ protocol: /^https?$/ }), url, 'postPromptUrl');
    return this;
  }

  /** Adds ASR hints: words, or `{hint, pattern, replace, ignore_case?}` objects. Duplicates are skipped. */
  addHints(hints: Hint[]): this {
    for (const hint of parseOrThrow(z.array(hintSchema), hints, 'hints')) {
      const key = JSON.stringify(hint);
      if (!this.state.hints.some((h) => JSON.stringify(h) === key)) this.state.hints.push(hint);
    }
    return this;
  }

  /** Adds one language `{name, code, voice, …}`. */
  addLanguage(language: Language): this {
    this.state.languages.push(parseOrThrow(languageSchema, language, 'language'));
    return this;
  }

  /** Adds one pronunciation rule `{replace, with, ignore_case?}`. */
  addPronounce(rule: Pronounce): this {
    this.state.pronounce.push(parseOrThrow(pronounceSchema, rule, 'pronounce'));
    return this;
  }

  /** Replaces `ai.params` (e.g. `{ end_of_speech_timeout: 700 }`). */
  setParams(params: Record<string, unknown>): this {
    this.state.params = checkAiParams({ ...parseOrThrow(jsonObject, params, 'params') });
    return this;
  }

  /** Sets one `ai.params` key. */
  setParam(key: string, value: unknown): this {
    const name = parseOrThrow(z.string().min(1), key, 'params');
    checkAiParams({ [name]: value });
    this.state.params[name] = value;
    return this;
  }

  /** Replaces `ai.global_data`. */
  setGlobalData(data: Record<string, unknown>): this {
    this.state.globalData = { ...parseOrThrow(jsonObject, data, 'globalData') };
    return this;
  }

  /** Shallow-merges keys into `ai.global_data`. */
  updateGlobalData(data: Record<string, unknown>): this {
    Object.assign(this.state.globalData, parseOrThrow(jsonObject, data, 'globalData'));
    return this;
  }

  /** Platform-provided functions: check_time, wait_seconds, wait_for_user, adjust_response_latency. */
  setNativeFunctions(names: NativeFunction[]): this {
    this.state.nativeFunctions = [...new Set(parseOrThrow(z.array(nativeFunctionSchema), names, 'nativeFunctions'))];
    return this;
  }

  /** A verb before `answer` (e.g. `{ set: {...} }`). */
  addPreAnswerVerb(verb: SwmlVerb): this {
    this.state.preAnswerVerbs.push(parseOrThrow(verbSchema, verb, 'preAnswerVerb'));
    return this;
  }

  /** A verb between `answer` and `ai` (e.g. `{ record_call: {...} }`). */
  addPostAnswerVerb(verb: SwmlVerb): this {
    this.state.postAnswerVerbs.push(parseOrThrow(verbSchema, verb, 'postAnswerVerb'));
    return this;
  }

  /** A verb after `ai` (runs when the AI stops, e.g. `{ hangup: {} }`). */
  addPostAiVerb(verb: SwmlVerb): this {
    this.state.postAiVerbs.push(parseOrThrow(verbSchema, verb, 'postAiVerb'));
    return this;
  }

  /** Defines a SWAIG tool: `defineTool({name, description, parameters?, handler, …})` or positional. */
  defineTool(def: ToolDefinition): this;
  defineTool(name: string, description: string, parameters: ToolDefinition['parameters'], handler: ToolHandler): this;
  defineTool(defOrName: ToolDefinition | string, description?: string, parameters?: ToolDefinition['parameters'], handler?: ToolHandler): this {
    const def: ToolDefinition =
      typeof defOrName === 'string'
        ? { name: defOrName, description: description ?? '', handler: handler as ToolHandler, ...(parameters ? { parameters } : {}) }
        : defOrName;
    return this.registerTool(normalizeTool(def));
  }

  /**
   * Defines a server-less function: SignalWire runs its `data_map` (expressions, external webhooks, output) itself,
   * so no request reaches this agent. `dataMap` is checked against the SWML schema now.
   */
  defineDataMapTool(def: DataMapToolDefinition): this {
    return this.registerTool(normalizeDataMapTool(def));
  }

  /** Removes a tool; returns false if it did not exist. Hooks cannot be removed. */
  removeTool(name: string): boolean {
    return this.state.tools.get(name)?.kind === 'hook' ? false : this.state.tools.delete(name);
  }

  /**
   * Changes SWML keys of a defined function (`fillers`, `skip_fillers`, `wait_file`, `wait_for_fillers`, `active`…):
   * given keys replace the old ones, keys given as `undefined` are removed. Meant for per-request configuration
   * (e.g. fillers decided at each render); validated like `swaigFields` of defineTool. False when no such function.
   */
  updateSwaigFields(name: string, fields: { [K in keyof SwaigFields]?: SwaigFields[K] | undefined }): boolean {
    const tool = this.state.tools.get(name);
    if (!tool) return false;
    const merged: Record<string, unknown> = { ...tool.fields, ...fields };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    tool.fields = checkSwaigFields(name, merged);
    return true;
  }

  /** A registered function (tool, hook or data_map function) by name. */
  getTool(name: string): RegisteredTool | undefined {
    return this.state.tools.get(name);
  }

  /** Every function in SWML order, hooks included (`kind: 'hook'`). */
  listTools(): ToolInfo[] {
    return [...this.state.tools.values()].map((t) => ({ name: t.name, description: t.description, parameters: t.parameters, kind: t.kind }));
  }

  /**
   * Query parameters added to this agent's own webhook URLs (`/swaig`, `/post_prompt`). They come back on each
   * SWAIG request, where per-request configuration sees them again (e.g. `{ tier: 'gold' }`).
   */
  addSwaigQueryParams(params: Record<string, string>): this {
    Object.assign(this.state.swaigQueryParams, parseOrThrow(z.record(z.string().min(1), z.string()), params, 'swaigQueryParams'));
    return this;
  }

  /**
   * Contexts and steps, rendered under `ai.prompt.contexts`: `{ default: { steps: [{ name, text | sections,
   * criteria?, functions?, validSteps?, validContexts?, end? }] }, other: {...} }`. `SwaigResult.changeStep()` /
   * `changeContext()` move between them. Validated now (field named on error); replaces earlier contexts.
   */
  setContexts(contexts: ContextsDefinition): this {
    this.state.contexts = contextsToWire(contexts);
    return this;
  }

  /** Remote function sets (`SWAIG.includes`): `{ url, functions: [names], meta_data? }`. */
  addSwaigInclude(include: { url: string; functions: string[]; meta_data?: Record<string, unknown> }): this {
    this.state.swaigIncludes.push(checkPart('SWAIGIncludes', structuredClone(include), 'swaigInclude'));
    return this;
  }

  /**
   * Filler phrases for the platform's internal functions (`SWAIG.internal_fillers`), e.g.
   * `{ hangup: { 'en-US': ['Goodbye'] }, check_time: { default: ['Let me look'] } }`. Replaces earlier ones.
   */
  setInternalFillers(fillers: Record<string, Record<string, string[]>>): this {
    this.state.internalFillers = checkPart('SWAIGInternalFiller', structuredClone(fillers), 'internalFillers');
    return this;
  }

  /** `SWAIG.defaults.web_hook_url`: where functions without their own URL are sent (default: this agent's /swaig). */
  setDefaultWebhookUrl(url: string): this {
    this.state.defaultWebhookUrl = parseOrThrow(z.url({ protocol: /^https?$/ }), url, 'defaultWebhookUrl');
    return this;
  }

  /** A copy of the current `ai.global_data`. */
  getGlobalData(): Record<string, unknown> {
    return structuredClone(this.state.globalData);
  }

  /** A copy of the languages (`ai.languages`), in order; the first is the call's starting language. */
  getLanguages(): Language[] {
    return structuredClone(this.state.languages);
  }

  /** A copy of the current `ai.params`. */
  getParams(): Record<string, unknown> {
    return structuredClone(this.state.params);
  }

  /** Titles of the POM sections, in order. */
  promptSectionTitles(): string[] {
    return this.state.promptSections.flatMap((s) => (s.title === undefined ? [] : [s.title]));
  }

  /** @internal The live state (the renderer reads it; never mutate it from outside). */
  configState(): ConfigState {
    return this.state;
  }

  /** @internal Adds an already-validated function; refuses a duplicate name. */
  protected registerTool(tool: RegisteredTool): this {
    if (this.state.tools.has(tool.name)) throw new AgentConfigError('duplicate_tool', `Tool '${tool.name}' is already defined`, { field: 'name' });
    this.state.tools.set(tool.name, tool);
    return this;
  }
}
