import type { Hint, Language, NativeFunction, PromptSection, PromptSettings, Pronounce, SwmlVerb } from '../agent/schemas.js';
import type { ToolParameters, SwaigFields } from '../agent/tools.js';

/** A rendered SWML document (`version` + `sections.main`). */
export interface SwmlDocument {
  version: '1.0.0';
  sections: { main: SwmlVerb[]; [section: string]: SwmlVerb[] };
}

/** One entry of `ai.SWAIG.functions`. */
export interface SwmlFunction extends SwaigFields {
  function: string;
  description: string;
  parameters: ToolParameters;
  web_hook_url?: string;
  data_map?: Record<string, unknown>;
}

/** The `ai` verb body. Only the keys the SWML schema allows. */
export interface SwmlAiVerb {
  prompt: ({ text: string } | { pom: PromptSection[] }) & PromptSettings & { contexts?: Record<string, unknown> };
  post_prompt?: { text: string } & PromptSettings;
  post_prompt_url?: string;
  params?: Record<string, unknown>;
  hints?: Hint[];
  languages?: Language[];
  pronounce?: Pronounce[];
  global_data?: Record<string, unknown>;
  SWAIG?: {
    defaults?: { web_hook_url: string };
    functions?: SwmlFunction[];
    native_functions?: NativeFunction[];
    includes?: Array<Record<string, unknown>>;
    internal_fillers?: Record<string, Record<string, string[]>>;
  };
}
