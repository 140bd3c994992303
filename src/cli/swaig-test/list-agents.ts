/** `--list-agents`: the agent instances and classes an agent file exports (as the Python CLI lists them). */
import type { CliIo } from '../shared/cli-io.js';
import { CliError } from '../shared/cli-error.js';
import { listAgentsInFile } from './load-agent.js';

/** Prints the agents of `file` (JSON with `raw`); exit 1 when it exports none. */
export async function listAgents(io: CliIo, file: string, raw: boolean): Promise<number> {
  const { agents, instances } = await listAgentsInFile(file);
  // Importing the file built its instances (skills, an embedded gateway): release them before exiting.
  await Promise.all(instances.map((agent) => agent.close?.().catch(() => undefined)));
  if (agents.length === 0) throw new CliError(`no agents found in ${file}`, 'agent_not_found');
  if (raw) {
    io.stdout(`${JSON.stringify({ file, agents }, null, 2)}\n`);
    return 0;
  }
  const lines = [`Agents found in ${file}:`];
  for (const agent of agents) {
    lines.push(`  ${agent.className} (${agent.kind}, export ${agent.export})`);
    if (agent.kind === 'instance') lines.push(`    Name: ${agent.name}`, `    Route: ${agent.route}`);
  }
  lines.push('', 'Choose one with --agent-class CLASS, --route /path or --agent NAME.');
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
