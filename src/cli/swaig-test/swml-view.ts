/** Reserved SWML function names the platform calls by itself at set points of a call. */
export const HOOK_NAMES = ['startup_hook', 'hangup_hook', 'summarize_conversation'] as const;

/** Platform default for `params.app_name` (sent as `app_name` in every SWAIG request). */
export const DEFAULT_APP_NAME = 'swml app';

/** One entry of `ai.SWAIG.functions`, as the platform would see it. */
export interface SwmlFunctionView {
  name: string;
  description: string;
  /** `{type:'object', properties, required?}`; `{}` properties when the function declares none. */
  parameters: { type?: unknown; properties: Record<string, unknown>; required?: string[] };
  /** Its own `web_hook_url`, else `SWAIG.defaults.web_hook_url`; undefined for data_map functions. */
  webHookUrl?: string | undefined;
  metaData?: Record<string, unknown> | undefined;
  metaDataToken?: string | undefined;
  /** True when the platform runs it itself (`data_map`), so no webhook is called. */
  dataMap: boolean;
  kind: 'tool' | 'hook';
  /** The entry exactly as rendered. */
  entry: Record<string, unknown>;
}

/** What a simulated call needs from the SWML document. */
export interface SwmlView {
  functions: SwmlFunctionView[];
  byName: Map<string, SwmlFunctionView>;
  /** `ai.global_data` (the call's starting global_data). */
  globalData: Record<string, unknown>;
  /** `ai.params.app_name`, else "swml app". */
  appName: string;
  /** True when the document has an `ai` verb at all. */
  hasAi: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first `ai` verb in any section (normally `sections.main`). */
function findAiVerb(doc: unknown): Record<string, unknown> | undefined {
  if (!isObject(doc) || !isObject(doc.sections)) return undefined;
  const sections = doc.sections;
  const names = ['main', ...Object.keys(sections).filter((name) => name !== 'main')];
  for (const name of names) {
    const verbs = sections[name];
    if (!Array.isArray(verbs)) continue;
    for (const verb of verbs) if (isObject(verb) && isObject(verb.ai)) return verb.ai;
  }
  return undefined;
}

function readFunction(entry: Record<string, unknown>, defaultsUrl: string | undefined): SwmlFunctionView | undefined {
  const name = entry.function;
  if (typeof name !== 'string' || name === '') return undefined;
  const rawParams = isObject(entry.parameters) ? entry.parameters : isObject(entry.argument) ? entry.argument : {};
  const parameters: SwmlFunctionView['parameters'] = {
    ...rawParams,
    properties: isObject(rawParams.properties) ? rawParams.properties : {},
  };
  const description = typeof entry.description === 'string' ? entry.description : typeof entry.purpose === 'string' ? entry.purpose : '';
  const dataMap = isObject(entry.data_map);
  const ownUrl = typeof entry.web_hook_url === 'string' ? entry.web_hook_url : undefined;
  return {
    name,
    description,
    parameters,
    webHookUrl: dataMap ? ownUrl : (ownUrl ?? defaultsUrl),
    metaData: isObject(entry.meta_data) ? entry.meta_data : undefined,
    metaDataToken: typeof entry.meta_data_token === 'string' ? entry.meta_data_token : undefined,
    dataMap,
    kind: (HOOK_NAMES as readonly string[]).includes(name) ? 'hook' : 'tool',
    entry,
  };
}

/** Reads the functions, starting global_data and app name out of a SWML document (any shape is tolerated). */
export function readSwml(doc: unknown): SwmlView {
  const ai = findAiVerb(doc);
  const swaig = isObject(ai?.SWAIG) ? ai.SWAIG : {};
  const defaults = isObject(swaig.defaults) ? swaig.defaults : {};
  const defaultsUrl = typeof defaults.web_hook_url === 'string' ? defaults.web_hook_url : undefined;
  const entries = Array.isArray(swaig.functions) ? swaig.functions.filter(isObject) : [];
  const functions = entries.flatMap((entry) => readFunction(entry, defaultsUrl) ?? []);
  const params = isObject(ai?.params) ? ai.params : {};
  return {
    functions,
    byName: new Map(functions.map((fn) => [fn.name, fn])),
    globalData: isObject(ai?.global_data) ? { ...ai.global_data } : {},
    appName: typeof params.app_name === 'string' && params.app_name !== '' ? params.app_name : DEFAULT_APP_NAME,
    hasAi: ai !== undefined,
  };
}
