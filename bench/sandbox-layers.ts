/**
 * `npm run bench:sandbox`: what each sandbox layer adds to a session's cold start. The server is a ~1 ms awk
 * MCP server, so the wrapper chain is most of what is measured: spawn → initialize → first tools/call
 * answered, through the gateway's HTTP API, for the same service under growing sets of layers.
 */
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createGateway, parseGatewayConfig } from '../gateway/index.js';
import { hostCapabilities } from '../gateway/sandbox/host.js';
import { summarize, fmt } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TINY = join(ROOT, 'test/gateway/hardening/fixtures/tiny-server.awk');
const TOKEN = 'bench-token-0123456789abcdef';
const SESSIONS = Number(process.env.BENCH_SANDBOX_SESSIONS ?? 40);
/** The server measured: the ~1 ms awk server, or (BENCH_SANDBOX_SERVER=todo) the project's Node todo server. */
const SERVER = process.env.BENCH_SANDBOX_SERVER === 'todo' ? ['node', join(ROOT, 'dist/todo-server.js')] : ['mawk', '-W', 'interactive', '-f', TINY];

const variants: Array<[string, Record<string, unknown>]> = [
  ['no sandbox', { enabled: false }],
  ['env + session uid', { isolation: 'none', resource_limits: false }],
  ['+ rlimits + cgroup', { isolation: 'none' }],
  ['+ unshare (pid+mount ns)', { isolation: 'unshare' }],
  ['bwrap (the default here)', { isolation: 'auto' }],
];

const host = hostCapabilities();
process.stderr.write(`bench:sandbox: bwrap ${host.bwrap.ok}, unshare ${host.unshare.ok}, root ${host.root}, cgroup memory ${host.cgroup.memory ?? 'none'}\n`);
const rows: string[] = [];
let base: number | undefined;
for (const [label, sandbox] of variants) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
  chmodSync(dir, 0o711);
  const raw = {
    server: { host: '127.0.0.1', port: 0, auth_token: TOKEN },
    services: { tiny: { command: SERVER, sandbox } },
    session: { sandbox_dir: join(dir, 'sandbox') },
    rate_limiting: { enabled: false },
    logging: { level: 'ERROR' },
  };
  const gateway = await createGateway(parseGatewayConfig(raw, { baseDir: ROOT, env: {} }), { logger: pino({ level: 'silent' }) });
  const { url } = await gateway.listen(0, '127.0.0.1');
  const times: number[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const started = performance.now();
    const res = await fetch(`${url}/services/tiny/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tool: SERVER[0] === 'node' ? 'list_todos' : 'ping', session_id: `s${i}` }),
    });
    if (res.status !== 200) throw new Error(`${label}: call answered ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    if (i > 0) times.push(performance.now() - started); // the first also lists the tools
    await (await fetch(`${url}/sessions/s${i}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer();
  }
  await gateway.close();
  const s = summarize(times);
  base ??= s.median;
  rows.push(`| ${label} | ${fmt(s.median)} | ${fmt(s.p95)} | +${fmt(s.median - base)} |`);
}
console.log(`\nCold first call (spawn → initialize → tools/call), ${SERVER.join(' ')}, ${SESSIONS - 1} sessions each, ms:\n`);
console.log('| layers | median | p95 | added vs none |\n|---|---|---|---|');
for (const row of rows) console.log(row);
