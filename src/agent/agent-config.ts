import { z } from 'zod';
import { AgentConfigError } from '../errors.js';
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
 * The declarative part of an agent: prompt, post-prompt, hints, languages, pronunciations, params,
 * global_data, native functions and extra verbs. Every setter validates its input (AgentConfigError naming
 * the field) and returns `this` for chaining.
 */
export class AgentConfig {
  protected promptText: string | undefined;
  protected readonly promptSections: PromptSection[] = [];
  protected promptSettings: PromptSettings = {};
  protected postPrompt: string | undefined;
  protected postPromptSettings: PromptSettings = {};
  protected postPromptUrl: string | undefined;
  protected readonly hints: Hint[] = [];
  protected readonly languages: Language[] = [];
  protected readonly pronounce: Pronounce[] = [];
  protected params: Record<string, unknown> = {};
  protected globalData: Record<string, unknown> = {};
  protected nativeFunctions: NativeFunction[] = [];
  protected readonly preAnswerVerbs: SwmlVerb[] = [];
  protected readonly postAnswerVerbs: SwmlVerb[] = [];
  protected readonly postAiVerbs: SwmlVerb[] = [];

  /** Plain-text prompt. With POM sections too, it becomes the untitled first section. */
  setPrompt(text: string): this {
    this.promptText = parseOrThrow(z.string().min(1), text, 'prompt');
    return this;
  }

  /** Adds a POM section `{title, body?, bullets?, numbered?, numberedBullets?, subsections?}`. */
  promptAddSection(section: PromptSection): this {
    const parsed = parseOrThrow(promptSectionSchema, section, 'promptSection');
    if (!parsed.title) throw new AgentConfigError('promptSection.title: is required', 'promptSection.title');
    this.promptSections.push(parsed);
    return this;
  }

  /** True when a section with this title exists. */
  promptHasSection(title: string): boolean {
    return this.promptSections.some((s) => s.title === title);
  }

  /** LLM knobs on `prompt`: max_tokens, temperature, top_p, confidence, presence/frequency_penalty. */
  setPromptSettings(settings: PromptSettings): this {
    this.promptSettings = parseOrThrow(promptSettingsSchema, settings, 'promptSettings');
    return this;
  }

  /** Post-prompt text: the AI's instructions for the end-of-call summary. */
  setPostPrompt(text: string, settings: PromptSettings = {}): this {
    this.postPrompt = parseOrThrow(z.string().min(1), text, 'postPrompt');
    this.postPromptSettings = parseOrThrow(promptSettingsSchema, settings, 'postPromptSettings');
    return this;
  }

  /** Send the summary to an external URL instead of this agent's `/post_prompt`. */
  setPostPromptUrl(url: string): this {
    this.postPromptUrl = parseOrThrow(z.url({ protocol: /^https?$/ }), url, 'postPromptUrl');
    return this;
  }

  /** Adds ASR hints: words, or `{hint, pattern, replace, ignore_case?}` objects. Duplicates are skipped. */
  addHints(hints: Hint[]): this {
    for (const hint of parseOrThrow(z.array(hintSchema), hints, 'hints')) {
      const key = JSON.stringify(hint);
      if (!this.hints.some((h) => JSON.stringify(h) === key)) this.hints.push(hint);
    }
    return this;
  }

  /** Adds one language `{name, code, voice, …}`. */
  addLanguage(language: Language): this {
    this.languages.push(parseOrThrow(languageSchema, language, 'language'));
    return this;
  }

  /** Adds one pronunciation rule `{replace, with, ignore_case?}`. */
  addPronounce(rule: Pronounce): this {
    this.pronounce.push(parseOrThrow(pronounceSchema, rule, 'pronounce'));
    return this;
  }

  /** Replaces `ai.params` (e.g. `{ end_of_speech_timeout: 700 }`). */
  setParams(params: Record<string, unknown>): this {
    this.params = { ...parseOrThrow(jsonObject, params, 'params') };
    return this;
  }

  /** Sets one `ai.params` key. */
  setParam(key: string, value: unknown): this {
    this.params[parseOrThrow(z.string().min(1), key, 'params')] = value;
    return this;
  }

  /** Replaces `ai.global_data`. */
  setGlobalData(data: Record<string, unknown>): this {
    this.globalData = { ...parseOrThrow(jsonObject, data, 'globalData') };
    return this;
  }

  /** Shallow-merges keys into `ai.global_data`. */
  updateGlobalData(data: Record<string, unknown>): this {
    Object.assign(this.globalData, parseOrThrow(jsonObject, data, 'globalData'));
    return this;
  }

  /** Platform-provided functions: check_time, wait_seconds, wait_for_user, adjust_response_latency. */
  setNativeFunctions(names: NativeFunction[]): this {
    this.nativeFunctions = [...new Set(parseOrThrow(z.array(nativeFunctionSchema), names, 'nativeFunctions'))];
    return this;
  }

  /** A verb before `answer` (e.g. `{ set: {...} }`). */
  addPreAnswerVerb(verb: SwmlVerb): this {
    this.preAnswerVerbs.push(parseOrThrow(verbSchema, verb, 'preAnswerVerb'));
    return this;
  }

  /** A verb between `answer` and `ai` (e.g. `{ record_call: {...} }`). */
  addPostAnswerVerb(verb: SwmlVerb): this {
    this.postAnswerVerbs.push(parseOrThrow(verbSchema, verb, 'postAnswerVerb'));
    return this;
  }

  /** A verb after `ai` (runs when the AI stops, e.g. `{ hangup: {} }`). */
  addPostAiVerb(verb: SwmlVerb): this {
    this.postAiVerbs.push(parseOrThrow(verbSchema, verb, 'postAiVerb'));
    return this;
  }
}
