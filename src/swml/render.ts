import type { ConfigState } from '../agent/config-state.js';
import type { PromptSection, SwmlVerb } from '../agent/schemas.js';
import type { RegisteredTool } from '../agent/tools.js';
import type { SwmlAiVerb, SwmlDocument, SwmlFunction } from './types.js';
import { buildWebhookUrl } from './urls.js';

/** Query parameter that carries the call id (the routing key) in the agent's own webhook URLs. */
export const ROUTING_QUERY_PARAM = 'call_id';

/** Everything the renderer needs: the agent's (or a request's) config state plus a few agent facts. */
export interface SwmlState extends Omit<ConfigState, 'tools'> {
  name: string;
  route: string;
  autoAnswer: boolean;
  tools: RegisteredTool[];
}

/** Where webhooks point: public base URL (from `resolveBaseUrl`) and the Basic credentials to embed. */
export interface RenderTarget {
  baseUrl: string;
  credentials: { user: string; password: string };
  /** The per-call token of a secure function (`__token` in its web_hook_url); undefined when there is no call id. */
  tokenFor?: ((functionName: string) => string | undefined) | undefined;
  /**
   * The call id, written as the `call_id` query parameter of every webhook URL on this agent, so a load balancer
   * can pin all of a call's webhooks to one instance (nginx `hash $arg_call_id consistent`). Not a secret.
   */
  callId?: string | undefined;
}

function renderPrompt(state: SwmlState): SwmlAiVerb['prompt'] {
  const settings = state.promptSettings;
  const contexts = state.contexts === undefined ? {} : { contexts: structuredClone(state.contexts) };
  if (state.promptSections.length === 0) {
    return { text: state.promptText ?? `You are ${state.name}, a helpful voice assistant.`, ...settings, ...contexts };
  }
  // The schema lets only the first POM item omit its title: plain text becomes that untitled lead section.
  const sections = structuredClone(state.promptSections);
  const pom: PromptSection[] = state.promptText ? [{ body: state.promptText }, ...sections] : sections;
  return { pom, ...settings, ...contexts };
}

function localUrl(state: SwmlState, target: RenderTarget, endpoint: string, extra: Record<string, string> = {}): string {
  const routing: Record<string, string> = target.callId === undefined ? {} : { [ROUTING_QUERY_PARAM]: target.callId };
  return buildWebhookUrl(target.baseUrl, state.route, endpoint, target.credentials, { ...state.swaigQueryParams, ...extra, ...routing });
}

/**
 * A function entry. Its own web_hook_url is written only when it differs from SWAIG.defaults: an external URL,
 * or this agent's /swaig carrying the function's per-call token (as the Python SDK does).
 */
function renderFunction(tool: RegisteredTool, state: SwmlState, target: RenderTarget): SwmlFunction {
  const entry: SwmlFunction = { function: tool.name, description: tool.description, parameters: tool.parameters, ...tool.fields };
  if (tool.dataMap !== undefined) entry.data_map = structuredClone(tool.dataMap);
  else if (tool.webHookUrl !== undefined) entry.web_hook_url = tool.webHookUrl;
  else if (tool.secure) {
    const token = target.tokenFor?.(tool.name);
    if (token !== undefined) entry.web_hook_url = localUrl(state, target, 'swaig', { __token: token });
  }
  return entry;
}

function renderAi(state: SwmlState, target: RenderTarget): SwmlAiVerb {
  const ai: SwmlAiVerb = { prompt: renderPrompt(state) };
  if (state.postPrompt !== undefined) ai.post_prompt = { text: state.postPrompt, ...state.postPromptSettings };
  // Only a post prompt makes the platform post a summary, so the URL is written only with one.
  if (state.postPrompt !== undefined) ai.post_prompt_url = state.postPromptUrl ?? localUrl(state, target, 'post_prompt');
  ai.params = structuredClone(state.params);
  if (state.debugWebhookLevel !== undefined && ai.params.debug_webhook_url === undefined) {
    ai.params.debug_webhook_url = localUrl(state, target, 'debug_events');
    ai.params.debug_webhook_level = state.debugWebhookLevel;
  }
  if (state.hints.length > 0) ai.hints = [...state.hints];
  if (state.languages.length > 0) ai.languages = [...state.languages];
  if (state.pronounce.length > 0) ai.pronounce = [...state.pronounce];
  if (Object.keys(state.globalData).length > 0) ai.global_data = structuredClone(state.globalData);
  const swaig: NonNullable<SwmlAiVerb['SWAIG']> = {};
  if (state.tools.length > 0) {
    swaig.defaults = { web_hook_url: state.defaultWebhookUrl ?? localUrl(state, target, 'swaig') };
    swaig.functions = state.tools.map((t) => renderFunction(t, state, target));
  }
  if (state.nativeFunctions.length > 0) swaig.native_functions = [...state.nativeFunctions];
  if (state.swaigIncludes.length > 0) swaig.includes = structuredClone(state.swaigIncludes);
  if (Object.keys(state.internalFillers).length > 0) swaig.internal_fillers = structuredClone(state.internalFillers);
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
