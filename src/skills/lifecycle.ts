import { z } from 'zod';
import type { Agent } from '../agent/agent.js';
import { SkillError } from '../errors.js';
import { firstZodProblem } from '../zod-issue.js';
import { getSkillClass, listSkills } from './registry.js';
import type { Skill, SkillClass, SkillCommonOptions } from './skill.js';

/** What loading needs from the agent beyond its public API (bookkeeping of loaded skills). */
export interface SkillHost {
  agent: Agent;
  reserve(key: string): boolean;
  release(key: string): void;
  commit(key: string, skill: Skill<unknown>): void;
}

const COMMON_KEYS = ['skip_prompt', 'tool_name', 'swaig_fields'] as const;
const commonSchema = z.object({
  skip_prompt: z.boolean().default(false),
  tool_name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier')
    .optional(),
  swaig_fields: z.record(z.string(), z.unknown()).default({}),
});

function invalid(skill: string, error: z.ZodError): SkillError {
  const { field, message } = firstZodProblem(error, { fallback: '(params)' });
  return new SkillError('invalid_skill_params', `Skill '${skill}': field '${field}' — ${message}`, { skill, field });
}

/** Splits raw params into validated common options and the skill's own (zod-parsed) params. */
export function validateSkillParams(cls: SkillClass, raw: unknown): { params: unknown; options: SkillCommonOptions } {
  const name = cls.skillName;
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new SkillError('invalid_skill_params', `Skill '${name}': field '(params)' — params must be an object`, { skill: name, field: '(params)' });
  }
  const common = commonSchema.safeParse(input);
  if (!common.success) throw invalid(name, common.error);
  // Common keys go to the framework unless the skill's own object schema declares them.
  const shape = cls.paramsSchema instanceof z.ZodObject ? (cls.paramsSchema.shape as Record<string, unknown>) : {};
  const own = Object.fromEntries(Object.entries(input).filter(([k]) => !(COMMON_KEYS as readonly string[]).includes(k) || k in shape));
  const parsed = cls.paramsSchema.safeParse(own);
  if (!parsed.success) throw invalid(name, parsed.error);
  const options: SkillCommonOptions = {
    skipPrompt: common.data.skip_prompt,
    toolName: common.data.tool_name,
    swaigFields: common.data.swaig_fields,
  };
  return { params: parsed.data, options };
}

function resolveClass(nameOrClass: string | SkillClass): SkillClass {
  if (typeof nameOrClass !== 'string') return nameOrClass;
  const cls = getSkillClass(nameOrClass);
  if (cls) return cls;
  const known =
    listSkills()
      .map((s) => s.name)
      .join(', ') || 'none';
  throw new SkillError('unknown_skill', `Unknown skill '${nameOrClass}' (registered: ${known})`, { skill: nameOrClass });
}

function wrap(name: string, phase: 'setup' | 'register_tools' | 'load', err: unknown): SkillError {
  if (err instanceof SkillError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new SkillError(`skill_${phase}_failed`, `Skill '${name}': ${phase} failed — ${msg}`, { skill: name, cause: err });
}

async function phase(name: string, label: 'setup' | 'register_tools', run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (err) {
    throw wrap(name, label, err);
  }
}

/**
 * `addSkill` lifecycle: resolve → validate params → reserve instance key → setup() → registerTools()
 * (rolled back on failure) → hints, global_data, prompt sections (unless skip_prompt) → commit.
 */
export async function loadSkill(host: SkillHost, nameOrClass: string | SkillClass, raw: unknown): Promise<Skill<unknown>> {
  const cls = resolveClass(nameOrClass);
  const name = cls.skillName;
  const { params, options } = validateSkillParams(cls, raw);
  const skill = new cls(host.agent, params as never, options);
  const key = skill.instanceKey;
  if (!host.reserve(key)) {
    const hint = cls.supportsMultipleInstances ? ' (give each instance a distinct tool_name)' : ' (it supports one instance)';
    throw new SkillError('duplicate_skill', `Skill '${name}' is already loaded as '${key}'${hint}`, { skill: name });
  }
  const toolsBefore = new Set(host.agent.listTools().map((t) => t.name));
  try {
    await phase(name, 'setup', () => skill.setup());
    await phase(name, 'register_tools', () => skill.registerTools());
    host.agent.addHints(skill.hints());
    host.agent.updateGlobalData(skill.globalData());
    if (!options.skipPrompt) for (const section of skill.promptSections()) host.agent.promptAddSection(section);
  } catch (err) {
    for (const t of host.agent.listTools()) if (!toolsBefore.has(t.name) && t.kind === 'tool') host.agent.removeTool(t.name);
    host.release(key);
    await skill.cleanup().catch((cleanupErr: unknown) => skill.logger.warn({ err: cleanupErr }, 'cleanup after failed load failed'));
    throw wrap(name, 'load', err);
  }
  host.commit(key, skill);
  return skill;
}
