/**
 * Example: per-request configuration. One agent, tailored per call from the SWML fetch (query parameters and the
 * caller's number) on a copy of its configuration, so nothing leaks from one caller to the next.
 *
 *   npx tsx agents/dynamic-agent.ts            # serves on PORT (default 3000)
 *   SWML URL with ?tier=gold&lang=es           # a gold caller, Spanish voice and the gold-only lounge function
 *   npx swaig-test agents/dynamic-agent.ts --list-tools
 */
import { Agent, SwaigResult } from '../src/index.js';
import { announce, isMainModule, withCredentials } from './lib/main.js';

const TIERS = ['standard', 'gold'] as const;

/** The demo agent. */
export const agent = new Agent({ name: 'Concierge', host: process.env.HOST ?? '0.0.0.0' });

agent
  .promptAddSection({ title: 'Role', body: 'You are the concierge of Acme Hotels. Help callers with bookings and questions.' })
  .promptAddSection({ title: 'Style', bullets: ['Be brief: this is a phone call.', 'Use the caller tier in global_data to decide what to offer.'] })
  .addLanguage({ name: 'English', code: 'en-US', voice: 'rime.spore' })
  .setGlobalData({ brand: 'acme' })
  .defineTool({
    name: 'opening_hours',
    description: 'Opening hours of the front desk',
    handler: () => 'The front desk is open around the clock.',
  });

// Per SWML render: the caller's own values, on ctx.config (a copy made for this call only).
agent.onSwmlRequest((ctx) => {
  const tier = TIERS.find((t) => t === ctx.query.tier) ?? 'standard';
  const caller = ctx.call.from ?? 'unknown';
  ctx.config.updateGlobalData({ tier, caller });
  ctx.config.promptAddSection({ title: 'Caller', body: `The caller (${caller}) is a ${tier} member.` });
  if (ctx.query.lang === 'es') ctx.config.addLanguage({ name: 'Spanish', code: 'es-ES', voice: 'rime.luna' });
});

// Per SWML render and per SWAIG request (Python-SDK style): gold callers get a function nobody else has. The
// tier travels back in the webhook URLs (addSwaigQueryParams), so the function is found again when it is called.
agent.setDynamicConfigCallback((query, _body, _headers, config) => {
  if (query.tier !== 'gold') return;
  config.addSwaigQueryParams({ tier: 'gold' });
  config.defineTool({
    name: 'book_lounge',
    description: 'Book the gold members lounge',
    parameters: { type: 'object', properties: { time: { type: 'string', description: 'Time, e.g. 18:00' } }, required: ['time'] },
    handler: (args) => new SwaigResult(`The lounge is booked for ${String(args.time)}.`).setGlobalData({ lounge: args.time }),
  });
});

export default agent;

if (isMainModule(import.meta.url)) {
  const { url } = await agent.serve();
  announce('Concierge', withCredentials(url, agent.credentials), [
    `curl -u '${agent.credentials.user}:…' '${url}?tier=gold&lang=es'`,
    'npx swaig-test agents/dynamic-agent.ts --list-tools',
  ]);
}
