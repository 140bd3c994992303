import type { Command } from 'commander';
import { UsageError } from '../shared/cli-error.js';

/** A raw function parameter from the command line: `--name value`, `--name=value`, or a bare `--name` (true). */
export type RawParam = readonly [name: string, value: string | true];

/** One `--exec NAME` with the `--args` JSON and `--param value` pairs that belong to it. */
export interface ExecRequest {
  name: string;
  /** From `--args '{json}'`. */
  args: Record<string, unknown>;
  /** Unknown `--name value` pairs, in order; coerced later by the tool's parameter schema. */
  params: RawParam[];
}

/** argv split into what commander parses and the function calls it must not see. */
export interface SplitArgv {
  /** Our own options and positionals, for commander. */
  argv: string[];
  execs: ExecRequest[];
}

type Arity = 'none' | 'required' | 'optional';

const SCENARIO_FILE = /\.(json|ya?ml)$/i;
/** A positional that is an agent file, not a function name (function names have no dots or slashes). */
const AGENT_FILE = /[./\\]/;

/** Flag → arity for every option the program declares (plus commander's implicit help/version). */
function knownOptions(program: Command): Map<string, Arity> {
  const known = new Map<string, Arity>([
    ['--help', 'none'],
    ['-h', 'none'],
    ['--version', 'none'],
    ['-V', 'none'],
  ]);
  for (const option of program.options) {
    const arity: Arity = option.required ? 'required' : option.optional ? 'optional' : 'none';
    if (option.long) known.set(option.long, arity);
    if (option.short) known.set(option.short, arity);
  }
  return known;
}

function parseArgsJson(text: string, where = '--args'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where}: not valid JSON (${(err as Error).message})`, 'invalid_args');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${where}: must be a JSON object, e.g. --args '{"title":"milk"}'`, 'invalid_args');
  }
  return value as Record<string, unknown>;
}

/** Splits `--name=value` into its parts. */
function splitInline(token: string): { flag: string; inline: string | undefined } {
  const eq = token.indexOf('=');
  return eq > 2 ? { flag: token.slice(0, eq), inline: token.slice(eq + 1) } : { flag: token, inline: undefined };
}

const isFlag = (token: string | undefined): boolean => token !== undefined && token.startsWith('--');

/** Gives params and --args seen before any --exec to the first one (or reports them as stray). */
function attachPending(execs: ExecRequest[], params: RawParam[], args: Record<string, unknown> | undefined, hasArgs: (exec: ExecRequest) => boolean): void {
  const first = execs[0];
  if (!first) {
    const stray = params[0];
    if (stray) throw new UsageError(`unknown option '--${stray[0]}' (function parameters go with --exec NAME)`, 'unknown_option');
    if (args) throw new UsageError('--args needs --exec NAME', 'invalid_args');
    return;
  }
  if (args) {
    if (hasArgs(first)) throw new UsageError(`--args given twice for --exec ${first.name}`, 'invalid_args');
    first.args = args;
  }
  first.params.unshift(...params);
}

/**
 * Separates function calls from our own options so that option order never matters.
 *
 * - `--exec NAME` starts a call; `--args JSON` and unknown `--name value` pairs belong to the nearest `--exec`
 *   before them (or the first one, when they come before any `--exec`).
 * - Every option the program declares is ours wherever it appears (`--call-id` after `--exec` included).
 * - After a lone `--`, every `--name value` pair is a function parameter, even one named like our options.
 * - A bare `--name` followed by another `--flag` (or nothing) is the boolean `true`.
 * - `--simulate-call FILE` takes FILE as its scenario only when it ends in .json, .yaml or .yml.
 * - Positionals are `[agent-file] [function ['{json args}']]` (no agent file with `--url`): a positional function
 *   is an `--exec` of it, the Python CLI's "legacy" form.
 * @throws UsageError naming the flag for a missing `--exec` name, bad `--args` JSON, or a stray unknown option
 */
export function splitArgv(argv: readonly string[], program: Command): SplitArgv {
  const known = knownOptions(program);
  const rest: string[] = [];
  const execs: ExecRequest[] = [];
  const pendingParams: RawParam[] = [];
  let pendingArgs: Record<string, unknown> | undefined;
  let paramsOnly = false;
  const withArgs = new WeakSet<ExecRequest>();
  const positionals: string[] = [];
  let sawUrl = false;

  const current = (): ExecRequest | undefined => execs[execs.length - 1];
  const addArgs = (args: Record<string, unknown>): void => {
    const exec = current();
    if (!exec) {
      if (pendingArgs) throw new UsageError('--args given twice before --exec', 'invalid_args');
      pendingArgs = args;
    } else if (withArgs.has(exec)) {
      throw new UsageError(`--args given twice for --exec ${exec.name}`, 'invalid_args');
    } else {
      exec.args = args;
      withArgs.add(exec);
    }
  };
  const addParam = (param: RawParam): void => void (current()?.params ?? pendingParams).push(param);

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--' && !paramsOnly) {
      paramsOnly = true;
      continue;
    }
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    const { flag, inline } = splitInline(token);
    const takeValue = (): string | undefined => inline ?? (i + 1 < argv.length ? argv[++i] : undefined);

    if (!paramsOnly && flag === '--exec') {
      const name = inline ?? (argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('-') ? argv[++i] : undefined);
      if (!name) throw new UsageError('--exec needs a function name, e.g. --exec add_todo', 'missing_function');
      execs.push({ name, args: {}, params: [] });
    } else if (!paramsOnly && flag === '--args') {
      const text = takeValue();
      if (text === undefined) throw new UsageError('--args needs a JSON object', 'invalid_args');
      addArgs(parseArgsJson(text));
    } else if (!paramsOnly && flag === '--simulate-call') {
      rest.push('--simulate-call');
      const next = argv[i + 1];
      const file = inline ?? (next !== undefined && !next.startsWith('-') && SCENARIO_FILE.test(next) ? argv[++i] : undefined);
      if (file !== undefined) rest.push('--scenario', file);
    } else if (!paramsOnly && known.has(flag)) {
      if (flag === '--url') sawUrl = true;
      rest.push(token);
      const arity = known.get(flag);
      const next = argv[i + 1];
      if (inline === undefined && arity === 'required' && next !== undefined) rest.push(argv[++i] as string);
      if (inline === undefined && arity === 'optional' && next !== undefined && !next.startsWith('-')) rest.push(argv[++i] as string);
    } else if (flag.startsWith('--') && flag.length > 2) {
      const value = inline ?? (i + 1 < argv.length && !isFlag(argv[i + 1]) ? (argv[++i] as string) : true);
      addParam([flag.slice(2), value]);
    } else {
      throw new UsageError(`unknown option '${token}'`, 'unknown_option');
    }
  }

  // [agent-file] [function ['{json}']]: the agent file comes first unless --url names the agent (then a file
  // given anyway stays a file, for the 'file or --url' error).
  const urlNamesAgent = sawUrl && !AGENT_FILE.test(positionals[0] ?? '');
  const [file, tool, json, ...extra] = urlNamesAgent ? [undefined, ...positionals] : positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] as string}'`, 'unexpected_argument');
  if (tool !== undefined) {
    if (execs.length > 0) throw new UsageError(`give the function once: '${tool}' or --exec ${execs[0]?.name ?? ''}`, 'conflicting_actions');
    const positional: ExecRequest = { name: tool, args: {}, params: [] };
    if (json !== undefined) {
      positional.args = parseArgsJson(json, `${tool} '${json}'`);
      withArgs.add(positional);
    }
    execs.push(positional);
  }
  attachPending(execs, pendingParams, pendingArgs, (exec) => withArgs.has(exec));
  return { argv: file === undefined ? rest : [...rest, file], execs };
}
