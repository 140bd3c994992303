import type { Hint, Language, NativeFunction, PromptSection, PromptSettings, Pronounce, SwmlVerb } from './schemas.js';
import type { RegisteredTool } from './tools.js';

/**
 * Everything an agent declares about its SWML, as plain data. The agent owns one (its base config); every
 * request that runs per-request configuration works on a deep copy (`cloneConfigState`), so nothing a request
 * changes can reach the base config or another request.
 */
export interface ConfigState {
  promptText: string | undefined;
  promptSections: PromptSection[];
  promptSettings: PromptSettings;
  postPrompt: string | undefined;
  postPromptSettings: PromptSettings;
  postPromptUrl: string | undefined;
  hints: Hint[];
  languages: Language[];
  pronounce: Pronounce[];
  params: Record<string, unknown>;
  globalData: Record<string, unknown>;
  nativeFunctions: NativeFunction[];
  preAnswerVerbs: SwmlVerb[];
  postAnswerVerbs: SwmlVerb[];
  postAiVerbs: SwmlVerb[];
  /** Functions in SWML order (tools, hooks, data_map functions). */
  tools: Map<string, RegisteredTool>;
  /** Query parameters added to this agent's own webhook URLs (round-trip per-request config to /swaig). */
  swaigQueryParams: Record<string, string>;
  /** Rendered verbatim under `ai.prompt.contexts` when set (see contexts.ts). */
  contexts: Record<string, unknown> | undefined;
  /** `SWAIG.includes`: remote function sets `{url, functions[], meta_data?}`. */
  swaigIncludes: Array<Record<string, unknown>>;
  /** `SWAIG.internal_fillers`: phrases per internal function, per language code. */
  internalFillers: Record<string, Record<string, string[]>>;
  /** `SWAIG.defaults.web_hook_url` override (default: this agent's `/swaig`). */
  defaultWebhookUrl: string | undefined;
  /** With a level, `params.debug_webhook_url` points at this agent's `/debug_events` (`debug_webhook_level`). */
  debugWebhookLevel: number | undefined;
}

export function emptyConfigState(): ConfigState {
  return {
    promptText: undefined,
    promptSections: [],
    promptSettings: {},
    postPrompt: undefined,
    postPromptSettings: {},
    postPromptUrl: undefined,
    hints: [],
    languages: [],
    pronounce: [],
    params: {},
    globalData: {},
    nativeFunctions: [],
    preAnswerVerbs: [],
    postAnswerVerbs: [],
    postAiVerbs: [],
    tools: new Map(),
    swaigQueryParams: {},
    contexts: undefined,
    swaigIncludes: [],
    internalFillers: {},
    defaultWebhookUrl: undefined,
    debugWebhookLevel: undefined,
  };
}

/**
 * A deep copy: every data field is structured-cloned; tools are copied entry by entry (their handlers are
 * shared functions, their SWML fields cloned), so adding, removing or editing one on the copy leaves the source alone.
 */
export function cloneConfigState(state: ConfigState): ConfigState {
  const { tools, ...data } = state;
  const copy = structuredClone(data) as Omit<ConfigState, 'tools'>;
  const toolsCopy = new Map<string, RegisteredTool>();
  for (const [name, tool] of tools) {
    const { handler, checkArgs, ...data } = tool;
    toolsCopy.set(name, { ...structuredClone(data), handler, checkArgs });
  }
  return { ...copy, tools: toolsCopy };
}
