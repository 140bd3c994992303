import { SkillError } from '../errors.js';
import type { SkillClass } from './skill.js';

const registry = new Map<string, SkillClass>();
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Registers a skill class under its static `skillName`, so `agent.addSkill(name, params)` finds it.
 * Registering the same class twice is a no-op; a different class under a taken name throws.
 */
export function registerSkill(cls: SkillClass): void {
  const name = cls.skillName;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new SkillError('invalid_skill_class', `Skill class ${cls.name}: static skillName must match ${NAME_PATTERN}`, {
      skill: String(name),
      field: 'skillName',
    });
  }
  if (typeof cls.paramsSchema?.safeParse !== 'function') {
    throw new SkillError('invalid_skill_class', `Skill '${name}': static paramsSchema must be a zod schema`, { skill: name, field: 'paramsSchema' });
  }
  const existing = registry.get(name);
  if (existing === cls) return;
  if (existing) throw new SkillError('duplicate_skill_name', `Skill '${name}' is already registered by another class`, { skill: name });
  registry.set(name, cls);
}

/** The class registered under `name`, if any. */
export function getSkillClass(name: string): SkillClass | undefined {
  return registry.get(name);
}

/** Registered skills, sorted by name. */
export function listSkills(): Array<{ name: string; description: string; supportsMultipleInstances: boolean }> {
  return [...registry.values()]
    .map((c) => ({ name: c.skillName, description: c.description, supportsMultipleInstances: c.supportsMultipleInstances }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
