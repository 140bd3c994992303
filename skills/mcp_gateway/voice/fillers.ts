/**
 * Spoken fillers for slow functions. SWML lets a function carry filler phrases for one language only
 * (`FunctionFillers`: exactly one key out of a fixed list), so the phrases are for the agent's first language:
 * its code if the schema knows it (`en-US`), else the bare language (`en`), else `default`.
 */
import { swmlSchemaPart, type Language, type SwaigFields } from '../../../src/index.js';
import type { McpGatewayParams, ToolOverride } from '../params.js';
import type { McpFunction } from '../tool-definitions.js';
import type { ToolLatency } from './snapshot.js';

/** SWML function keys to set; an `undefined` key is removed from the function at a render. */
export type FieldPatch = { [K in keyof SwaigFields]?: SwaigFields[K] | undefined };

/** The patch without its `undefined` keys (for a definition, where there is nothing to remove). */
export const definedOnly = (patch: FieldPatch): SwaigFields => Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SwaigFields;

/** Short, natural phrases per language (by bare language code). */
export const DEFAULT_FILLERS: Readonly<Record<string, readonly string[]>> = {
  en: ['One moment, let me check that.', 'Just a second while I look that up.', 'Bear with me for a moment.'],
  es: ['Un momento, por favor, lo estoy revisando.', 'Déjeme comprobarlo, un segundo.'],
  fr: ['Un instant, je vérifie.', 'Une seconde, je regarde ça.'],
  de: ['Einen Moment bitte, ich sehe nach.', 'Eine Sekunde, ich prüfe das.'],
  it: ['Un attimo, controllo subito.', 'Un momento, sto verificando.'],
  pt: ['Um momento, vou verificar.', 'Só um segundo, estou a ver isso.'],
  nl: ['Een moment, ik kijk het even na.', 'Even geduld, ik zoek het op.'],
  sv: ['Ett ögonblick, jag kollar.'],
  da: ['Et øjeblik, jeg tjekker det.'],
  pl: ['Chwileczkę, sprawdzam.'],
  ja: ['少々お待ちください。確認いたします。'],
  ko: ['잠시만요, 확인해 보겠습니다.'],
  zh: ['请稍等，我查一下。'],
};

/** Language code → fillers key (the schema check runs once per code, not at every render). */
const keys = new Map<string, string | undefined>();

/** The SWML fillers key for a language code, or undefined when the schema has none that fits. */
export function fillerKey(code: string | undefined): string | undefined {
  const cacheKey = code ?? '';
  if (keys.has(cacheKey)) return keys.get(cacheKey);
  const valid = swmlSchemaPart('FunctionFillers');
  const candidates = code === undefined ? ['default'] : [code, code.split('-')[0] as string];
  const key = candidates.find((candidate) => valid({ [candidate]: ['x'] }).valid);
  if (keys.size < 1000) keys.set(cacheKey, key);
  return key;
}

/** The language fillers are made for: the agent's first one (undefined = the platform default, English). */
export function primaryLanguage(languages: readonly Language[]): string | undefined {
  return languages[0]?.code;
}

/** Phrases for `code` (undefined = default English): the tool's override first, then the defaults. */
export function fillerPhrases(code: string | undefined, override: ToolOverride['fillers']): string[] | undefined {
  if (Array.isArray(override)) return [...override];
  const bare = (code ?? 'en').split('-')[0] as string;
  if (override !== undefined) {
    const own = override[code ?? 'default'] ?? override[bare] ?? override.default;
    if (own !== undefined) return [...own];
  }
  const defaults = DEFAULT_FILLERS[bare];
  return defaults === undefined ? undefined : [...defaults];
}

/** What the voice settings of one function are at a render. */
export interface FillerChoice {
  slow: boolean;
  /** `fillers` for `languageCode` (undefined when there are no phrases for that language). */
  phrases?: string[] | undefined;
  languageCode: string | undefined;
  waitFile?: string | undefined;
}

/**
 * The SWML keys for a choice: a slow function gets its phrases (and the wait file), keeping the language's own
 * function fillers when it has none of its own; a fast one gets `skip_fillers` and no phrases.
 */
export function fillerFields(choice: FillerChoice): FieldPatch {
  if (!choice.slow) return { skip_fillers: true, fillers: undefined, wait_file: undefined };
  const key = fillerKey(choice.languageCode);
  const fillers = key !== undefined && choice.phrases !== undefined ? { [key]: choice.phrases } : undefined;
  return { skip_fillers: undefined, fillers, wait_file: choice.waitFile };
}

type FillerParams = Pick<McpGatewayParams, 'filler_min_samples' | 'filler_threshold_ms' | 'filler_wait_file'>;

/** Slow by measurement once the tool has enough calls in the window; before that, by its hints and the params. */
function isSlow(fn: McpFunction, measured: ToolLatency | undefined, params: FillerParams): boolean {
  if (measured !== undefined && measured.count >= params.filler_min_samples) return measured.p95Ms > params.filler_threshold_ms;
  return fn.override?.slow ?? fn.tool.annotations?.openWorldHint === true;
}

/** The filler keys of one MCP function at a render, from its measured latency (when any) in `languageCode`. */
export function functionFillers(fn: McpFunction, measured: ToolLatency | undefined, params: FillerParams, languageCode: string | undefined): FieldPatch {
  return fillerFields({
    slow: isSlow(fn, measured, params),
    phrases: fillerPhrases(languageCode, fn.override?.fillers),
    languageCode,
    waitFile: params.filler_wait_file,
  });
}
