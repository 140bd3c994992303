/**
 * Demo: "Todo Assistant", a voice agent whose tools come from the todo MCP server through the mcp_gateway skill.
 *
 *   npm start                      # embedded gateway from config.json, agent on PORT (default 3000)
 *   MCP_GATEWAY_URL=http://gw:8080 MCP_GATEWAY_AUTH_TOKEN=… npm start   # use a separate mcp-gateway instead
 *   MCP_WARM_SESSIONS=false …      # no warm-up at SWML fetch (several agents with embedded gateways behind a balancer)
 *   npx swaig-test agents/todo-agent.ts --list-tools                   # load in-process, no server
 *
 * Importing this file builds the agent (and its skill) without serving; running it as the main module serves.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent } from '../src/index.js';
import '../skills/mcp_gateway/index.js';

const ROOT_CONFIG = fileURLToPath(new URL('../config.json', import.meta.url));

/** The demo agent. */
export const agent = new Agent({ name: 'Todo Assistant' });

agent
  .promptAddSection({
    title: 'Role',
    body: "You are Todo Assistant, a friendly voice assistant that keeps the caller's todo list for this call.",
  })
  .promptAddSection({
    title: 'How to help',
    bullets: [
      'Add, list, complete and delete todo items with your functions; never invent items.',
      'Read lists back briefly: the number of items, then each item with its priority.',
      'Confirm before deleting or clearing anything.',
      'Keep answers short: this is a phone call.',
    ],
  })
  .addHints(['todo', 'to-do', 'priority']);

await agent.addSkill('mcp_gateway', {
  ...(process.env.MCP_GATEWAY_URL ? { gateway_url: process.env.MCP_GATEWAY_URL } : { gateway_config: process.env.MCP_GATEWAY_CONFIG ?? ROOT_CONFIG }),
  services: [{ name: 'todo', tools: '*' }],
  warm_sessions: process.env.MCP_WARM_SESSIONS !== 'false',
});

export default agent;

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** The SWML URL with the Basic credentials embedded (percent-encoded), as SignalWire needs it. */
function urlWithCredentials(url: string): string {
  const withAuth = new URL(url);
  withAuth.username = encodeURIComponent(agent.credentials.user);
  withAuth.password = encodeURIComponent(agent.credentials.password);
  return withAuth.toString();
}

if (isMainModule() && !process.env.SWAIG_CLI_MODE) {
  const { url } = await agent.serve();
  const swmlUrl = urlWithCredentials(url);
  process.stdout.write(
    [
      '',
      `Todo Assistant is ready. SWML URL: ${swmlUrl}`,
      '',
      'Next steps:',
      '  1. Make the agent reachable from the internet (a tunnel or a public host) and set',
      '     SWML_PROXY_URL_BASE to that public base URL so webhook URLs point there.',
      `  2. Point a phone number at it:  npx signalwire-agent number bind +15551234567 --url '<public SWML URL with credentials>'`,
      '  3. Try the tools without a call:  npx swaig-test agents/todo-agent.ts --list-tools',
      '',
    ].join('\n'),
  );
}
