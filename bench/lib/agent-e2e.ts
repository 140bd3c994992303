/**
 * End to end as on a live call: the platform fetches SWML (which makes the mcp_gateway skill warm the
 * call's sessions), then posts SWAIG function calls to the agent, which calls the gateway.
 */
import { Agent } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { HttpClient, expectStatus } from './http.js';
import { timeEach } from './stats.js';

/** Agent-side results, ms. */
export interface E2eResult {
  /** SWAIG calls on a call whose sessions were warmed by the SWML fetch (keep-alive to the agent). */
  samples: number[];
  /** The first SWAIG call of each pre-warmed call (SWML fetch, wait until ready, then the call). */
  firstCalls: number[];
}

function envelope(callId: string): Record<string, unknown> {
  return {
    app_name: 'swml app',
    function: 'mcp_todo_list_todos',
    version: '2.0',
    content_type: 'text/swaig',
    call_id: callId,
    ai_session_id: `ai-${callId}`,
    argument: { parsed: [{}], raw: '{}', substituted: '' },
    global_data: {},
  };
}

/** Starts an Agent with the skill pointed at `gatewayUrl`, runs the SWAIG measurements, closes it. */
export async function agentEndToEnd(
  gatewayUrl: string,
  token: string,
  opts: { calls: number; firstCalls: number; waitReady: (sessionId: string) => Promise<void> },
): Promise<E2eResult> {
  const agent = new Agent({ name: 'bench', host: '127.0.0.1', port: 0, basicAuth: { user: 'bench', password: 'bench-secret' } });
  agent.setPrompt('bench');
  await agent.addSkill('mcp_gateway', { gateway_url: gatewayUrl, auth_token: token, services: [{ name: 'todo', tools: '*' }] });
  const running = await agent.serve({ handleSignals: false });
  const http = new HttpClient(new URL(running.url).origin, { authorization: `Basic ${Buffer.from('bench:bench-secret').toString('base64')}` });
  try {
    // Each call's SWML gives the function's web_hook_url with the call's token (secure functions).
    const paths = new Map<string, string>();
    const swaig = async (callId: string): Promise<void> => {
      const answer = expectStatus(await http.request('POST', paths.get(callId) ?? '/swaig', envelope(callId)), 200, 'swaig');
      if (!answer.body.includes('response') || answer.body.includes('security check failed')) throw new Error(`unexpected SWAIG answer ${answer.body}`);
    };
    const swml = async (callId: string): Promise<void> => {
      const answer = expectStatus(await http.request('POST', '/', { call: { call_id: callId } }), 200, 'swml');
      const ai = (JSON.parse(answer.body) as { sections: { main: Array<Record<string, any>> } }).sections.main.find((v) => v.ai)?.ai;
      const fn = ai.SWAIG.functions.find((f: { function: string }) => f.function === 'mcp_todo_list_todos');
      const url = new URL(fn.web_hook_url ?? ai.SWAIG.defaults.web_hook_url);
      paths.set(callId, url.pathname + url.search);
    };
    await swml('e2e-main');
    await opts.waitReady('e2e-main');
    for (let i = 0; i < 100; i++) await swaig('e2e-main');
    const samples = await timeEach(opts.calls, () => swaig('e2e-main'));
    const firstCalls: number[] = [];
    for (let i = 0; i < opts.firstCalls; i++) {
      const id = `e2e-first-${i}`;
      await swml(id);
      await opts.waitReady(id);
      const t0 = performance.now();
      await swaig(id);
      firstCalls.push(performance.now() - t0);
    }
    return { samples, firstCalls };
  } finally {
    await http.close();
    await running.close();
    await agent.close();
  }
}
