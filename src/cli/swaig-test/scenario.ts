import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../shared/cli-error.js';
import { firstZodProblem, zodProblemText } from '../../zod-issue.js';

const stepSchema = z.strictObject({
  function: z.string().min(1, 'function is required'),
  args: z.record(z.string(), z.unknown()).default({}),
  /** Text the response must contain, or `/regex/flags`. */
  expect: z.string().min(1).optional(),
});

const callerSchema = z.union([z.string().min(1), z.strictObject({ name: z.string().min(1).optional(), number: z.string().min(1).optional() })]);

/** A simulated call: who calls, and the functions the AI calls, in order. */
export const scenarioSchema = z.strictObject({
  call_id: z.string().min(1).optional(),
  /** A caller number, or `{name, number}`. */
  caller: callerSchema.optional(),
  steps: z.array(stepSchema).min(1, 'a scenario needs at least one step'),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema>;

/** The caller of a scenario as name/number (either may be absent). */
export function scenarioCaller(scenario: Scenario): { name?: string | undefined; number?: string | undefined } {
  const caller = scenario.caller;
  if (caller === undefined) return {};
  return typeof caller === 'string' ? { number: caller } : caller;
}

/**
 * Reads a scenario from a .json, .yaml or .yml file.
 * @throws UsageError naming the file and the first bad field (e.g. `steps.1.function`)
 */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--simulate-call: cannot read scenario file ${file}`, 'scenario_not_found');
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UsageError(
      `--simulate-call: ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
      'invalid_scenario',
    );
  }
  const result = scenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  const problem = firstZodProblem(result.error, { fallback: '(top level)' });
  throw new UsageError(`--simulate-call: ${file}: ${zodProblemText(problem)}`, 'invalid_scenario');
}

/** A response matcher from an `expect` string: `/re/flags` is a regex, anything else a substring. */
export function compileExpect(expect: string): { test(text: string): boolean; label: string } {
  const match = /^\/(.+)\/([dgimsuvy]*)$/s.exec(expect);
  if (match) {
    let re: RegExp;
    try {
      re = new RegExp(match[1] as string, (match[2] ?? '').replace(/[gy]/g, ''));
    } catch (err) {
      throw new UsageError(`expect ${expect}: invalid regular expression: ${(err as Error).message}`, 'invalid_expect');
    }
    return { test: (text) => re.test(text), label: expect };
  }
  return { test: (text) => text.includes(expect), label: JSON.stringify(expect) };
}
