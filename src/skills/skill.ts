import { z } from 'zod';
import type { Logger } from 'pino';
import type { Agent } from '../agent/agent.js';
import type { Hint, PromptSection } from '../agent/schemas.js';
import type { SwaigFields, ToolDefinition } from '../agent/tools.js';

/** Params every skill accepts besides its own: validated by the framework, kept out of `params`. */
export interface SkillCommonOptions {
  /** `skip_prompt`: do not add the skill's prompt sections (default false). */
  skipPrompt: boolean;
  /** `tool_name`: distinguishes instances of a multi-instance skill. */
  toolName?: string | undefined;
  /** `swaig_fields`: extra SWML function keys merged into every tool the skill defines. */
  swaigFields: SwaigFields;
}

/** The static side of a skill class, as `registerSkill` / `addSkill` see it. */
export interface SkillClass<P = unknown> {
  // `params: never` lets any Skill<X> subclass constructor fit; the framework passes the zod-parsed params.
  new (agent: Agent, params: never, options: SkillCommonOptions): Skill<unknown>;
  readonly skillName: string;
  readonly description: string;
  readonly paramsSchema: z.ZodType<P>;
  readonly supportsMultipleInstances: boolean;
}

/**
 * Base class for skills: a reusable bundle of tools, hints, global_data and prompt sections.
 * Subclasses set the statics and override what they need; `agent.addSkill(name, params)` validates params with
 * `paramsSchema` (zod), then runs `setup()` → `registerTools()` → hints/globalData/promptSections.
 */
export abstract class Skill<P = Record<string, unknown>> {
  /** Registry name, e.g. `mcp_gateway`. */
  static skillName = '';
  /** One-line description. */
  static description = '';
  /** zod schema of the skill's own params (use `z.object`; common keys are stripped before parsing). */
  static paramsSchema: z.ZodType<unknown> = z.object({});
  /** Allow several instances (keyed by `tool_name`); default false. */
  static supportsMultipleInstances = false;

  readonly agent: Agent;
  readonly params: P;
  readonly options: SkillCommonOptions;
  readonly logger: Logger;

  constructor(agent: Agent, params: P, options: SkillCommonOptions = { skipPrompt: false, swaigFields: {} }) {
    this.agent = agent;
    this.params = params;
    this.options = options;
    this.logger = agent.logger.child({ skill: this.skillName });
  }

  /** The registered name of this skill's class. */
  get skillName(): string {
    return (this.constructor as unknown as SkillClass).skillName;
  }

  /** `skillName` for single-instance skills, `skillName_<tool_name|skillName>` for multi-instance ones. */
  get instanceKey(): string {
    const cls = this.constructor as unknown as SkillClass;
    return cls.supportsMultipleInstances ? `${cls.skillName}_${this.options.toolName ?? cls.skillName}` : cls.skillName;
  }

  /** Validate config, connect, discover. Throwing aborts `addSkill`. */
  async setup(): Promise<void> {}

  /** Define tools with `this.defineTool(...)` (or `this.agent.defineTool`). */
  registerTools(): void | Promise<void> {}

  /** ASR hints to add to the agent. */
  hints(): Hint[] {
    return [];
  }

  /** Keys merged into the agent's global_data. */
  globalData(): Record<string, unknown> {
    return {};
  }

  /** POM sections added to the prompt (skipped when `skip_prompt` is true). */
  promptSections(): PromptSection[] {
    return [];
  }

  /** Release resources; called by `agent.close()` and when loading fails after setup. */
  async cleanup(): Promise<void> {}

  /** `agent.defineTool` with the instance's `swaig_fields` merged under the definition's own. */
  protected defineTool(def: ToolDefinition): void {
    const swaigFields = { ...this.options.swaigFields, ...(def.swaigFields ?? {}) };
    this.agent.defineTool({ ...def, swaigFields });
  }
}
