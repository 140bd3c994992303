/**
 * `npm run bench`: latency of the gateway against its floors (a bare node:http server and a one-route Express
 * app, each forwarding to the todo server over the SDK's stdio client), on loopback, in one bounded run. The gateway runs as its own process, as users run it: the
 * bin/mcp-gateway.js executable, which runs the esbuild bundle on plain node with its shebang's V8 flag.
 * Then the calls-per-machine figures: the gateway's peak RSS through the request sequence, its cost per idle
 * session, the memory floors of its named dependencies, server start-up (bundle, startup snapshot, bare node), and a burst of 100 calls (default scope and
 * with a warm pool). Prints median/p95 per measurement and ends with one table: each target, PASS/MISS.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.LOG_LEVEL ??= 'warn';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TODO = join(ROOT, 'dist/todo-server.js');
const TODO_BLOB = join(ROOT, 'dist/todo-server.blob');
const TINY = join(ROOT, 'test/gateway/hardening/fixtures/tiny-server.awk');
const TOKEN = 'bench-token-0123456789abcdef';
const BUDGET_MS = 900_000;

// Imported after LOG_LEVEL is set: the agent framework reads it when its modules load.
const { startGateway, startNodeServer } = await import('./lib/gateway-process.js');
const { HttpClient } = await import('./lib/http.js');
const { rawTodoClient } = await import('./lib/raw.js');
const s = await import('./lib/scenarios.js');
const { agentEndToEnd } = await import('./lib/agent-e2e.js');
const { fmt, summarize, table, timeEach } = await import('./lib/stats.js');
const { WARMUP_LISTINGS } = await import('../gateway/sessions/warm-up.js');
const cap = await import('./lib/capacity.js');
const { timeStarts } = await import('./lib/server-start.js');

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: over its ${BUDGET_MS / 1000} s budget, giving up\n`);
  process.exit(1);
}, BUDGET_MS);
watchdog.unref();

const step = (text: string): void => void process.stderr.write(`bench: ${text}\n`);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The V8 flags bin/mcp-gateway.js runs the gateway with; the floors get them too, for a like-for-like comparison. */
const V8_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=20'];

/** The todo server as config.json runs it: from its V8 startup snapshot. */
const TODO_COMMAND = ['node', '--snapshot-blob', TODO_BLOB];
/** The same todo server in Python (standard library only), for the second RSS sequence. */
const PYTHON_TODO_COMMAND = ['python3', join(ROOT, 'bench/servers/todo_mcp.py')];

function gatewayConfig(dir: string, session: Record<string, unknown> = {}, todoCommand = TODO_COMMAND): Record<string, unknown> {
  const unlimited = '100000000 per minute';
  return {
    server: { host: '127.0.0.1', port: 0, auth_token: TOKEN },
    services: {
      todo: { command: todoCommand, description: 'Simple todo list', sandbox: { enabled: true } },
      tiny: { command: ['mawk', '-W', 'interactive', '-f', TINY], description: 'smallest MCP server', sandbox: { enabled: false } },
    },
    session: { default_timeout: 600, max_sessions_per_service: 1000, cleanup_interval: 60, sandbox_dir: join(dir, 'sandbox'), ...session },
    rate_limiting: { default_limits: [unlimited], tools_limit: unlimited, call_limit: unlimited, session_delete_limit: unlimited },
    logging: { level: 'INFO' },
  };
}

/** Newest mtime of the .ts files under `dir` (the rule bin/mcp-gateway.js uses to pick the bundle), ms. */
function newestTs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

step('building dist/todo-server.js and dist/gateway/mcp-gateway.js (npm run build:servers)');
execFileSync('npm', ['run', '--silent', 'build:servers'], { cwd: ROOT, stdio: 'inherit' });
// Someone editing gateway/ during the run would make the shim fall back to tsx: say so in the header.
const runs =
  statSync(join(ROOT, 'dist/gateway/mcp-gateway.js')).mtimeMs >= newestTs(join(ROOT, 'gateway'))
    ? 'the esbuild bundle'
    : 'tsx (a gateway .ts file is newer than the bundle!)';
const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
const auth = { authorization: `Bearer ${TOKEN}` };

step('starting the raw client, the bare HTTP floor, the Express floor and the gateway (bin/mcp-gateway.js)');
const raw = await rawTodoClient(TODO);
const floorServer = await startNodeServer([...V8_FLAGS, join(ROOT, 'bench/lib/bare-floor-server.mjs'), TODO], ROOT);
const expressServer = await startNodeServer([...V8_FLAGS, join(ROOT, 'bench/lib/express-floor-server.mjs'), TODO], ROOT);
const gw = await startGateway(ROOT, dir, gatewayConfig(dir));
const idleRss = gw.rss();
const floor = new HttpClient(floorServer.url, {});
const expressFloor = new HttpClient(expressServer.url, {});
const http = new HttpClient(gw.url, auth);
const other = new HttpClient(gw.url, auth);
let gwStopped = false;
try {
  step('GET /health and GET /services/todo/tools');
  await s.gets(http, '/services/todo/tools', 300);
  await s.gets(http, '/health', 300);
  const health = await s.gets(http, '/health', 3000);
  const tools = await s.gets(http, '/services/todo/tools', 3000);

  step('raw, bare floor, Express floor and gateway warm calls, interleaved');
  for (let i = 0; i < 300; i++) await raw.call('list_todos');
  await s.floorCalls(floor, 300);
  await s.floorCalls(expressFloor, 300);
  await s.warmCalls(http, 'bench-warm', 0, 300);
  const pair = await s.interleaved(raw, http, floor, expressFloor, 10, 300);

  step('10,000 calls in one session');
  const tenK = await s.warmCalls(http, 'bench-warm', 10_000, 0);
  step('new connection per call');
  const fresh = await s.freshConnectionCalls(http, 'bench-warm', 500);
  step('first calls: pre-warmed, raw fresh server, cold');
  const prewarmed = await s.preWarmedFirstCalls(http, 30);
  const rawFirst = await s.rawFirstCalls(() => rawTodoClient(TODO), 15, WARMUP_LISTINGS);
  const cold = await s.coldFirstCalls(http, 15);
  step('DELETE while another session calls');
  const del = await s.deletes(http, other, 40);
  step('end-to-end SWAIG through an Agent with the mcp_gateway skill');
  const e2e = await agentEndToEnd(gw.url, TOKEN, { calls: 2000, firstCalls: 15, waitReady: (id) => s.waitReady(http, id) });

  step('50 sessions x 5 calls (bin/mcp-gateway.js)');
  await s.deleteAll(http);
  const wide = new HttpClient(gw.url, auth, 50);
  const tp = await s.throughput(wide, 50, 5);
  await wide.close();
  const live = await s.liveSessions(http);
  const rss50 = gw.rss();
  await gw.stop();
  gwStopped = true;

  // Calls per machine: each on a fresh gateway process, as users run it (bin/mcp-gateway.js).
  const onFresh = async <T>(
    session: Record<string, unknown>,
    run: (g: Awaited<ReturnType<typeof startGateway>>, client: InstanceType<typeof HttpClient>, wide: InstanceType<typeof HttpClient>) => Promise<T>,
    todoCommand = TODO_COMMAND,
  ): Promise<T> => {
    const g = await startGateway(ROOT, dir, gatewayConfig(dir, session, todoCommand));
    const client = new HttpClient(g.url, auth);
    const wideClient = new HttpClient(g.url, auth, 100);
    try {
      return await run(g, client, wideClient);
    } finally {
      await Promise.allSettled([client.close(), wideClient.close()]);
      await g.stop();
    }
  };
  step('peak gateway RSS through 2,000 /health, 200 /services, 20 tool listings, 50 sessions x 5 calls (fresh gateway)');
  const sequence = (todoCommand: string[]) =>
    onFresh(
      {},
      async (g, client, wideClient) => {
        const sampler = cap.peakSampler(() => g.rss());
        const run = await cap.requestSequence(client, wideClient);
        return { ...run, peak: sampler.stop() };
      },
      todoCommand,
    );
  const seq = await sequence(TODO_COMMAND);
  step('the same sequence with the Python todo server (bench/servers/todo_mcp.py)');
  const seqPython = await sequence(PYTHON_TODO_COMMAND);
  step('memory floors: the named dependencies alone (idle), and the Express floor through 2,000 calls');
  const deps = await startNodeServer([...V8_FLAGS, join(ROOT, 'bench/lib/dependency-floor.mjs')], ROOT);
  const depsRss = deps.rss();
  await deps.stop();
  const expressMem = await startNodeServer([...V8_FLAGS, join(ROOT, 'bench/lib/express-floor-server.mjs'), TODO], ROOT);
  const expressIdle = expressMem.rss();
  const expressPeak = await (async () => {
    const client = new HttpClient(expressMem.url, {});
    const sampler = cap.peakSampler(() => expressMem.rss());
    await s.floorCalls(client, 2000);
    await client.close();
    return sampler.stop();
  })();
  await expressMem.stop();
  step('gateway RSS per idle session: 1,000 sessions of a tiny (awk) server');
  const perSession = await onFresh({}, (g, client) => cap.perSessionCost(client, () => g.rss(), 'tiny', 1000, 2000));
  step('server start: spawn -> initialize, spawn -> first tools/call (bundle, startup snapshot), and bare node');
  const tool = { name: 'list_todos', arguments: {} };
  const startsBundle = await timeStarts(15, process.execPath, [TODO], tool);
  const startsBlob = await timeStarts(15, process.execPath, ['--snapshot-blob', TODO_BLOB], tool);
  const bareNode = await timeEach(15, () => new Promise<void>((resolve) => void spawn(process.execPath, ['-e', '0']).once('exit', () => resolve())));
  step('burst: 100 calls within 1 s, warmed by their SWML fetch, first call 1-3 s later, then 4 more (default scope)');
  const burstCall = await onFresh({}, (g, _client, wideClient) => cap.burst(wideClient, g.pid, 100));
  step('burst again with session.warm_pool 10');
  const burstPool = await onFresh({ warm_pool: { todo: 10 } }, async (g, client, wideClient) => {
    await cap.waitSpares(client, 'todo', 10, 60_000);
    return cap.burst(wideClient, g.pid, 100);
  });

  const r = summarize(pair.raw);
  const rows: Array<[string, number[]]> = [
    ['raw stdio round trip (SDK Client -> todo server, no gateway)', pair.raw],
    ['floor: bare node:http + SDK stdio (no Express/auth/limits/logs)', pair.floor],
    ['Express floor: one Express route (express.json, res.json) + SDK stdio', pair.expressFloor],
    ['gateway warm call (undici keep-alive), interleaved with raw', pair.gateway],
    ['gateway warm calls 10,000 in one session', tenK.samples],
    ['gateway call, new TCP connection each time', fresh],
    ['first call of a pre-warmed session', prewarmed],
    [`raw first call of a fresh server (after ${WARMUP_LISTINGS} tools/list)`, rawFirst],
    ['first call of a cold session (spawn + initialize + call)', cold],
    ['GET /services/todo/tools (cached)', tools],
    ['GET /health', health],
    ['DELETE /sessions/:id (server exits in the background)', del.del],
    ["control: another session's call right after a session start", del.control],
    ["another session's call sent together with a DELETE", del.racing],
    [`50 sessions x 5 calls, all at once (${tp.seconds.toFixed(2)} s)`, tp.samples],
    ['end-to-end SWAIG: platform -> agent -> gateway -> todo', e2e.samples],
    ['end-to-end first SWAIG call after the SWML fetch warmed it', e2e.firstCalls],
    ['todo server start: spawn -> initialize (bundle)', startsBundle.map((x) => x.initialize)],
    ['todo server start: spawn -> first tools/call (bundle)', startsBundle.map((x) => x.firstCall)],
    ['todo server start: spawn -> initialize (startup snapshot)', startsBlob.map((x) => x.initialize)],
    ['todo server start: spawn -> first tools/call (startup snapshot)', startsBlob.map((x) => x.firstCall)],
    ['bare node -e 0: spawn -> exit (the floor of any Node server)', bareNode],
    ['burst x100, default scope: first call', burstCall.firstCalls],
    ['burst x100, default scope: later calls', burstCall.laterCalls],
    ['burst x100, warm_pool 10: first call', burstPool.firstCalls],
    ['burst x100, warm_pool 10: later calls', burstPool.laterCalls],
  ];
  const lines = [['measurement', 'n', 'median ms', 'p95 ms', 'x raw']];
  for (const [name, samples] of rows) {
    const sum = summarize(samples);
    lines.push([name, String(sum.n), fmt(sum.median), fmt(sum.p95), (sum.median / r.median).toFixed(2)]);
  }
  const w = summarize(pair.gateway);
  const f = summarize(pair.floor);
  const x = summarize(pair.expressFloor);
  const t = summarize(tools);
  const h = summarize(health);
  const p = summarize(prewarmed);
  const d = summarize(del.del);
  const c = summarize(del.racing);
  const k = summarize(del.control);
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  // A call racing a DELETE must not wait for the closing server (its exit takes 10 ms to 2 s): it may only
  // differ from the control calls (same conditions, no DELETE) by the DELETE's own handling, < 1 ms.
  const racingLimit = k.median + 1;
  const si = summarize(startsBlob.map((x) => x.initialize));
  const sc = summarize(startsBlob.map((x) => x.firstCall));
  const bn = summarize(bareNode);
  const bc = summarize(burstCall.firstCalls);
  const bp = summarize(burstPool.firstCalls);
  const MiB = 1024 * 1024;
  const targets = [
    ['target', 'measured', 'goal', ''],
    [
      'gateway adds <= 0.15 ms over the bare node:http + stdio floor (p50)',
      `${fmt(w.median)} ms = floor ${fmt(f.median)} + Express ${fmt(x.median - f.median)} + gateway ${fmt(w.median - x.median)} (raw ${fmt(r.median)})`,
      `<= ${fmt(f.median + 0.15)} ms`,
      verdict(w.median <= f.median + 0.15),
    ],
    [
      'GET /tools <= 2x GET /health (median)',
      `${fmt(t.median)} vs ${fmt(h.median)} ms (${(t.median / h.median).toFixed(2)}x)`,
      '<= 2.00x',
      verdict(t.median <= 2 * h.median),
    ],
    [
      'pre-warmed first call <= 1.5x warm call (median)',
      `${fmt(p.median)} ms (${(p.median / w.median).toFixed(2)}x)`,
      `<= ${fmt(1.5 * w.median)} ms`,
      verdict(p.median <= 1.5 * w.median),
    ],
    ['DELETE <= 5 ms (p95)', `${fmt(d.p95)} ms (median ${fmt(d.median)})`, '<= 5 ms', verdict(d.p95 <= 5)],
    [
      'DELETE never delays other sessions (median of racing calls)',
      `${fmt(c.median)} ms (control ${fmt(k.median)}, p95 ${fmt(c.p95)} vs ${fmt(k.p95)})`,
      `<= control + 1 ms`,
      verdict(c.median <= racingLimit),
    ],
    ['10,000 calls in one session, 0 errors', `${tenK.errors} errors`, '0', verdict(tenK.errors === 0)],
    [
      'peak gateway RSS: 2,000 /health, 200 /services, 20 listings, 50x5 calls',
      `${mib(seq.peak)} Node todo server, ${mib(seqPython.peak)} Python (${seq.errors + seqPython.errors} errors)`,
      '<= 80 MiB',
      verdict(Math.max(seq.peak, seqPython.peak) <= 80 * MiB && seq.errors + seqPython.errors === 0),
    ],
    [
      '  info: memory floors of the named dependencies',
      `idle: dependencies alone ${mib(depsRss)}, gateway ${mib(idleRss)}; Express floor ${mib(expressIdle)} idle, ${mib(expressPeak)} peak over 2,000 calls`,
      '–',
      '',
    ],
    ['gateway RSS per idle session (1,000 sessions, tiny server)', `${perSession.toFixed(3)} MiB`, '<= 0.1 MiB', verdict(perSession <= 0.1)],
    [
      'todo server spawn -> initialize (startup snapshot, p50)',
      `${fmt(si.median)} ms (p95 ${fmt(si.p95)}; bundle ${fmt(summarize(startsBundle.map((x) => x.initialize)).median)}; bare node -e 0 ${fmt(bn.median)})`,
      '<= 60 ms',
      verdict(si.median <= 60),
    ],
    ['todo server spawn -> first tools/call (startup snapshot, p50)', `${fmt(sc.median)} ms (p95 ${fmt(sc.p95)})`, '<= 100 ms', verdict(sc.median <= 100)],
    [
      'burst x100, default scope: 0 errors, first call p95 <= 1 s',
      `${burstCall.errors} errors, p95 ${fmt(bc.p95)} ms (p50 ${fmt(bc.median)}), peak gateway+servers PSS ${mib(burstCall.peakTreePss)} (RSS ${mib(burstCall.peakTreeRss)})`,
      '0, <= 1000 ms',
      verdict(burstCall.errors === 0 && bc.p95 <= 1000),
    ],
    [
      'burst x100, warm_pool 10: 0 errors, first call p95 <= 1 s',
      `${burstPool.errors} errors, p95 ${fmt(bp.p95)} ms (p50 ${fmt(bp.median)}), peak gateway+servers PSS ${mib(burstPool.peakTreePss)} (RSS ${mib(burstPool.peakTreeRss)})`,
      '0, <= 1000 ms',
      verdict(burstPool.errors === 0 && bp.p95 <= 1000),
    ],
    ['  info: gateway RSS after serving this whole bench, 50 live sessions', `${mib(rss50)} (${live} sessions; idle at start ${mib(idleRss)})`, '–', ''],
  ];
  const out = [
    `mcp-gateway bench — Node ${process.version}, ${cpus().length} cores, loopback; gateway = bin/mcp-gateway.js (own process, runs ${runs}), INFO logs to /dev/null, rate limits on`,
    '',
    table(lines),
    '',
    `throughput, 50 concurrent sessions: ${(tp.samples.length / tp.seconds).toFixed(0)} calls/s after the bench (${tp.errors} errors); burst x100 took ${burstCall.seconds.toFixed(1)} s (default) and ${burstPool.seconds.toFixed(1)} s (warm_pool 10)`,
    '',
    table(targets),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await Promise.allSettled([http.close(), other.close(), floor.close(), expressFloor.close(), raw.close()]);
  if (!gwStopped) await gw.stop();
  await Promise.allSettled([floorServer.stop(), expressServer.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
