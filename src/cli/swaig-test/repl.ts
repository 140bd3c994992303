import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { CliError } from '../shared/cli-error.js';
import { printCallId, resolveExec, type ActionContext } from './actions.js';
import { describeFunction, formatStep, formatToolList } from './format.js';
import { splitArgv } from './split-argv.js';

const HELP = [
  "NAME [--param value …] ['{json}']   call a function in this call (global_data carries forward)",
  'list                                 list the functions',
  "globals                              show the call's global_data",
  'hangup | quit | Ctrl-D               send hangup_hook (if declared) and leave',
].join('\n');

/** Splits a line into words; '…' and "…" keep spaces (for JSON arguments). */
export function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

async function callLine(ctx: ActionContext, tokens: string[]): Promise<void> {
  const [name = '', ...rest] = tokens;
  const argv = ['--exec', name, ...rest.map((t) => (t.trim().startsWith('{') ? `--args=${t}` : t))];
  const [exec] = splitArgv(argv, new Command()).execs;
  if (!exec) return;
  const { args } = resolveExec(ctx.session.view, exec);
  const outcome = await ctx.session.call(name, args);
  ctx.io.stdout(formatStep(outcome, '→'));
}

/**
 * `--interactive`: one call, many function calls typed at a prompt (stdin). Mistakes are reported and the prompt
 * continues. Ends with hangup_hook when the SWML declares one.
 */
export async function runRepl(ctx: ActionContext): Promise<number> {
  await ctx.session.fetchSwml();
  printCallId(ctx);
  ctx.io.stdout(`${HELP}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  rl.setPrompt('swaig> ');
  try {
    rl.prompt();
    for await (const line of rl) {
      const tokens = words(line.trim());
      const command = tokens[0];
      if (command === 'quit' || command === 'exit' || command === 'hangup') break;
      try {
        if (command === 'help') ctx.io.stdout(`${HELP}\n`);
        else if (command === 'list') ctx.io.stdout(formatToolList(ctx.session.view.functions.map(describeFunction)));
        else if (command === 'globals') ctx.io.stdout(`${JSON.stringify(ctx.session.state.globalData)}\n`);
        else if (command !== undefined) await callLine(ctx, tokens);
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        ctx.io.stderr(`error: ${err.message}\n`);
      }
      rl.prompt();
    }
  } finally {
    rl.close();
  }
  if (ctx.session.view.byName.has('hangup_hook')) {
    ctx.io.stdout(formatStep(await ctx.session.call('hangup_hook', {}, { channelActive: false }), '[hangup]'));
  }
  return 0;
}
