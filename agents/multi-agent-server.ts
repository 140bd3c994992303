/**
 * Example: two agents on one server. Sales on /sales and Support on /support, each with its own credentials
 * (SALES_AUTH / SUPPORT_AUTH as user:password, else generated), shared /health and /ready, and SIP routing:
 * a SWML fetch to /sip goes to the agent named by the SIP user (sip:sales@… or sip:support@…).
 *
 *   npx tsx agents/multi-agent-server.ts
 */
import { Agent, AgentServer, SwaigResult } from '../src/index.js';
import { announce, isMainModule, withCredentials } from './lib/main.js';

function authFrom(value: string | undefined): { user: string; password: string } | undefined {
  const colon = value?.indexOf(':') ?? -1;
  return value && colon > 0 ? { user: value.slice(0, colon), password: value.slice(colon + 1) } : undefined;
}

const host = process.env.HOST ?? '0.0.0.0';
const salesAuth = authFrom(process.env.SALES_AUTH);
const supportAuth = authFrom(process.env.SUPPORT_AUTH);

/** Sales: quotes prices and hands over to support. */
export const sales = new Agent({ name: 'Sales', route: '/sales', host, ...(salesAuth ? { basicAuth: salesAuth } : {}) })
  .setPrompt('You are the Acme sales agent. Quote prices; send support questions to support.')
  .defineTool({
    name: 'quote',
    description: 'Price of a plan',
    parameters: { type: 'object', properties: { plan: { type: 'string', description: 'Plan name', enum: ['basic', 'pro'] } }, required: ['plan'] },
    handler: (args) => (args.plan === 'pro' ? 'Pro costs $40 a month.' : 'Basic costs $15 a month.'),
  });

/** Support: opens tickets. */
export const support = new Agent({ name: 'Support', route: '/support', host, ...(supportAuth ? { basicAuth: supportAuth } : {}) })
  .setPrompt('You are Acme support. Collect the problem and open a ticket.')
  .defineTool({
    name: 'open_ticket',
    description: 'Open a support ticket',
    parameters: { type: 'object', properties: { summary: { type: 'string', description: 'The problem in one sentence' } }, required: ['summary'] },
    handler: (args) => new SwaigResult(`Ticket opened: ${String(args.summary)}`).setGlobalData({ ticket_open: true }),
  });

/** The server holding both. */
export const server = new AgentServer({ host, ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}) })
  .register(sales)
  .register(support)
  .enableSipRouting();

if (isMainModule(import.meta.url)) {
  const { url } = await server.serve();
  announce('Sales', withCredentials(new URL('/sales', url).href, sales.credentials), []);
  announce('Support', withCredentials(new URL('/support', url).href, support.credentials), [`curl ${url}/health`]);
}
