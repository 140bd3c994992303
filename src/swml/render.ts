import type { Hint, Language, NativeFunction, PromptSection, PromptSettings, Pronounce, SwmlVerb } from '../agent/schemas.js';
import type { RegisteredTool } from '../agent/tools.js';
import type { SwmlAiVerb, SwmlDocument, SwmlFunction } from './types.js';
import { buildWebhookUrl } from './urls.js';

/** Everything the renderer needs from an agent; plain data, no behaviour. */
export interface SwmlState {
  name: string;
  route: string;
  autoAnswer: boolean;
  promptText?: string | undefined;
  promptSections: PromptSection[];
  promptSettings: PromptSettings;
  postPrompt?: string | undefined;
  postPromptSettings: PromptSettings;
  /** Explicit post_prompt_url; otherwise our own `/post_prompt` is used when a post prompt or summary handler exists. */
  postPromptUrl?: string | undefined;
  hasSummaryHandler: boolean;
  hints: Hint[];
  languages: Language[];
  pronounce: Pronounce[];
  params: Record<string, unknown>;
  globalData: Record<string, unknown>;
  nativeFunctions: NativeFunction[];
  tools: RegisteredTool[];
  preAnswerVerbs: SwmlVerb[];
  postAnswerVerbs: SwmlVerb[];
  postAiVerbs: SwmlVerb[];
}

/** Where webhooks point: public base URL (from `resolveBaseUrl`) and the Basic credentials to embed. */
export interface RenderTarget {
  baseUrl: string;
  credentials: { user: string; password: string };
}

function renderPrompt(state: SwmlState): SwmlAiVerb['prompt'] {
  const settings = state.promptSettings;
  if (state.promptSections.length === 0) {
    return { text: state.promptText ?? `You are ${state.name}, a helpful voice assistant.`, ...settings };
  }
  // The schema lets only the first POM item omit its title: plain text becomes that untitled lead section.
  const pom: PromptSection[] = state.promptText ? [{ body: state.promptText }, ...state.promptSections] : [...state.promptSections];
  return { pom, ...settings };
}

function renderFunction(tool: RegisteredTool, webhook: string): SwmlFunction {
  return {
    function: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    ...tool.fields,
    web_hook_url: webhook,
  };
}

function renderAi(state: SwmlState, target: RenderTarget): SwmlAiVerb {
  const ai: SwmlAiVerb = { prompt: renderPrompt(state) };
  if (state.postPrompt !== undefined) ai.post_prompt = { text: state.postPrompt, ...state.postPromptSettings };
  if (state.postPromptUrl !== undefined) ai.post_prompt_url = state.postPromptUrl;
  else if (state.postPrompt !== undefined || state.hasSummaryHandler) {
    ai.post_prompt_url = buildWebhookUrl(target.baseUrl, state.route, 'post_prompt', target.credentials);
  }
  ai.params = { ...state.params };
  if (state.hints.length > 0) ai.hints = [...state.hints];
  if (state.languages.length > 0) ai.languages = [...state.languages];
  if (state.pronounce.length > 0) ai.pronounce = [...state.pronounce];
  if (Object.keys(state.globalData).length > 0) ai.global_data = { ...state.globalData };
  const swaig: NonNullable<SwmlAiVerb['SWAIG']> = {};
  if (state.tools.length > 0) {
    const webhook = buildWebhookUrl(target.baseUrl, state.route, 'swaig', target.credentials);
    swaig.functions = state.tools.map((t) => renderFunction(t, webhook));
  }
  if (state.nativeFunctions.length > 0) swaig.native_functions = [...state.nativeFunctions];
  if (Object.keys(swaig).length > 0) ai.SWAIG = swaig;
  return ai;
}

/**
 * Pure: agent state in, SWML out. Verb order: pre-answer verbs, `answer` (if autoAnswer),
 * post-answer verbs, `ai`, post-AI verbs.
 */
export function renderSwml(state: SwmlState, target: RenderTarget): SwmlDocument {
  const main: SwmlVerb[] = [...state.preAnswerVerbs];
  if (state.autoAnswer) main.push({ answer: {} });
  main.push(...state.postAnswerVerbs);
  main.push({ ai: renderAi(state, target) });
  main.push(...state.postAiVerbs);
  return { version: '1.0.0', sections: { main } };
}
