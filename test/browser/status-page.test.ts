/**
 * The gateway's /status page in real headless Chromium (Debian's /usr/bin/chromium + playwright-core):
 * basic-auth challenge, server-rendered content, escaping, and a CSP under which scripts cannot run.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testConfig, TODO_SERVER, type TestGateway } from '../gateway/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the status-page browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('GET /status in headless Chromium', () => {
  let browser: Browser;
  let gw: TestGateway;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    gw = await startGateway(
      testConfig({
        todo: { command: ['node', TODO_SERVER], description: 'Todo list <script>window.pwned=1</script>' },
      }),
    );
  });

  afterAll(async () => {
    await gw?.close();
    await browser?.close();
  });

  it('refuses the page without credentials or with wrong ones', async () => {
    for (const httpCredentials of [undefined, { username: 'admin', password: 'wrong' }]) {
      const context = await browser.newContext(httpCredentials ? { httpCredentials } : {});
      try {
        const page = await context.newPage();
        // Headless Chromium aborts the navigation on an unanswerable Basic challenge instead of prompting.
        const outcome = await page.goto(`${gw.url}/status`).catch((err: Error) => err);
        if (outcome instanceof Error) {
          expect(outcome.message).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
        } else {
          expect(outcome?.status()).toBe(401);
          expect(await outcome?.text()).not.toContain('mcp-gateway status');
        }
      } finally {
        await context.close();
      }
    }
  });

  it('shows the todo service, its tools, a live session after a call and its latency; scripts stay blocked', async () => {
    const add = await gw.call('todo', { tool: 'add_todo', arguments: { text: 'buy milk' }, session_id: 'browser-call-1' });
    expect(add.status).toBe(200);
    const pid = ((await (await gw.get('/sessions')).json()) as { sessions: Array<{ pid: number }> }).sessions[0]?.pid;

    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'secret' } });
    try {
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (msg) => violations.push(msg.text()));
      const res = await page.goto(`${gw.url}/status`);
      expect(res?.status()).toBe(200);
      const csp = res?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/script-src/);

      await expect.poll(() => page.title()).toBe('mcp-gateway status');
      const services = page.locator('table').first();
      const todoRow = services.locator('tr', { hasText: 'todo' });
      await expect.poll(() => todoRow.count()).toBe(1);
      const rowText = (await todoRow.textContent()) ?? '';
      for (const tool of ['add_todo', 'list_todos', 'complete_todo']) expect(rowText).toContain(tool);

      const sessionsTable = page.locator('h2:has-text("Live sessions") + table');
      const sessionText = (await sessionsTable.textContent()) ?? '';
      expect(sessionText).toContain('browser-call-1');
      expect(sessionText).toContain(String(pid));
      expect(await page.locator('h2:has-text("Recent latency") + table').textContent()).toContain('add_todo');

      // The description's markup is shown as text, and the script neither became an element nor ran.
      expect(rowText).toContain('<script>window.pwned=1</script>');
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
      // The inline stylesheet is allowed by its hash: the table got its borders.
      const border = await page.evaluate("getComputedStyle(document.querySelector('th')).borderTopStyle");
      expect(border).toBe('solid');
      // An injected inline script is refused by the CSP.
      // (Page code is given as strings: the project compiles without DOM types.)
      await page.evaluate("{ const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); }");
      expect(await page.evaluate('typeof window.injected')).toBe('undefined');
      expect(violations.join('\n')).toMatch(/Content Security Policy/);
    } finally {
      await context.close();
    }
  });
});
