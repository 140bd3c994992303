/**
 * Example: a two-context flow with steps. The call starts in `default` (greet → triage); the `to_billing` function
 * switches to the `billing` context (verify → resolve), where only the billing functions are available.
 *
 *   npx tsx agents/contexts-agent.ts
 *   npx swaig-test agents/contexts-agent.ts --dump-swml
 */
import { Agent, SwaigResult } from '../src/index.js';
import { announce, isMainModule, withCredentials } from './lib/main.js';

const invoices: Record<string, { amount: string; status: string }> = {
  'INV-1001': { amount: '$120.00', status: 'paid' },
  'INV-1002': { amount: '$75.50', status: 'due on the 30th' },
};

/** The demo agent. */
export const agent = new Agent({ name: 'Front Desk', host: process.env.HOST ?? '0.0.0.0' });

agent
  .setPrompt('You are the front desk of Acme Internet. Follow the current step; keep answers short.')
  .defineTool({
    name: 'to_billing',
    description: 'Move the caller to billing when their question is about an invoice or a payment',
    handler: () => new SwaigResult('Moving you to billing.').changeContext('billing'),
  })
  .defineTool({
    name: 'lookup_invoice',
    description: 'Look up an invoice by number',
    parameters: { type: 'object', properties: { invoice: { type: 'string', description: 'Invoice number, e.g. INV-1001' } }, required: ['invoice'] },
    handler: (args) => {
      const found = invoices[String(args.invoice).toUpperCase()];
      if (!found) return `No invoice ${String(args.invoice)} was found.`;
      return new SwaigResult(`Invoice ${String(args.invoice)}: ${found.amount}, ${found.status}.`).changeStep('resolve');
    },
  })
  .defineTool({
    name: 'back_to_front_desk',
    description: 'Return to the front desk when billing is done',
    handler: () => new SwaigResult('Back to the front desk.').changeContext('default'),
  })
  .setContexts({
    default: {
      steps: [
        { name: 'greet', text: 'Greet the caller and ask how you can help.', criteria: 'The caller has said what they need.', validSteps: ['triage'] },
        {
          name: 'triage',
          sections: [{ title: 'Triage', bullets: ['Invoices and payments go to billing (call to_billing).', 'Answer anything else yourself.'] }],
          functions: ['to_billing'],
          validContexts: ['billing'],
        },
      ],
    },
    billing: {
      enterFillers: [{ 'en-US': ['Let me bring up billing.'] }],
      steps: [
        {
          name: 'verify',
          text: 'Ask for the invoice number and look it up.',
          criteria: 'The invoice was found.',
          functions: ['lookup_invoice'],
          validSteps: ['resolve'],
        },
        {
          name: 'resolve',
          text: 'Explain the invoice status and ask if anything else is needed.',
          functions: ['back_to_front_desk'],
          validContexts: ['default'],
        },
      ],
    },
  });

export default agent;

if (isMainModule(import.meta.url)) {
  const { url } = await agent.serve();
  announce('Front Desk', withCredentials(url, agent.credentials), ['npx swaig-test agents/contexts-agent.ts --dump-swml']);
}
