/**
 * Example: functions this agent does not run itself. `get_weather` is a DataMap function (SignalWire calls the
 * weather API and fills the reply from its JSON); `open_ticket` is sent to an external web_hook_url (another
 * service, TICKETS_WEBHOOK_URL); `store_hours` runs here as usual.
 *
 *   npx tsx agents/datamap-agent.ts
 *   npx swaig-test agents/datamap-agent.ts --list-tools
 */
import { Agent } from '../src/index.js';
import { announce, isMainModule, withCredentials } from './lib/main.js';

/** Where `open_ticket` requests go (credentials may be embedded as https://user:pass@host/path). */
const TICKETS_WEBHOOK_URL = process.env.TICKETS_WEBHOOK_URL ?? 'https://tickets.example.com/swaig';

/** The demo agent. */
export const agent = new Agent({ name: 'Weather Desk', host: process.env.HOST ?? '0.0.0.0' });

agent
  .setPrompt('You answer weather questions and open support tickets. Keep answers short.')
  .defineDataMapTool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
    dataMap: {
      webhooks: [
        {
          url: 'https://wttr.in/${enc:args.city}?format=j1',
          method: 'GET',
          output: {
            response: 'In ${args.city} it is ${current_condition[0].temp_C} degrees C, ${current_condition[0].weatherDesc[0].value}.',
            action: [{ set_global_data: { last_city: '${args.city}' } }],
          },
        },
      ],
      output: { response: 'The weather service did not answer; tell the caller to try again later.' },
    },
  })
  .defineTool({
    name: 'open_ticket',
    description: 'Open a support ticket with a short summary of the problem',
    parameters: { type: 'object', properties: { summary: { type: 'string', description: 'One sentence' } }, required: ['summary'] },
    webHookUrl: TICKETS_WEBHOOK_URL,
  })
  .defineTool({
    name: 'store_hours',
    description: 'Opening hours of the store',
    handler: () => 'The store is open 9 to 5, Monday to Saturday.',
  });

export default agent;

if (isMainModule(import.meta.url)) {
  const { url } = await agent.serve();
  announce('Weather Desk', withCredentials(url, agent.credentials), ['npx swaig-test agents/datamap-agent.ts --list-tools']);
}
