/** Contexts/steps, DataMap functions, per-function web_hook_url, SWAIG.defaults/includes/internal_fillers (items 2, 3, 6). */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Agent, AgentConfigError, SwaigResult } from '../../src/index.js';
import { expectValidSwml, swmlErrors } from '../helpers/swml-schema.js';
import { AUTH, captureLogger, silentLogger } from './helpers/agent.js';

const newAgent = () => new Agent({ name: 'flows', basicAuth: AUTH, logger: silentLogger() });
const aiOf = (doc: { sections: { main: Array<Record<string, unknown>> } }) => doc.sections.main.find((v) => 'ai' in v)?.ai as Record<string, any>;

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AgentConfigError);
    return (err as AgentConfigError).field;
  }
  return undefined;
}

describe('contexts and steps', () => {
  const flow = {
    default: {
      steps: [
        {
          name: 'greet',
          text: 'Greet the caller and ask what they need.',
          criteria: 'The caller said what they need.',
          validSteps: ['next'],
          validContexts: ['billing'],
        },
        { name: 'help', sections: [{ title: 'Task', body: 'Answer the question.' }], functions: ['lookup'], end: true },
      ],
    },
    billing: {
      isolated: true,
      enterFillers: [{ 'en-US': ['Switching to billing'] }],
      steps: [{ name: 'pay', text: 'Take the payment.', validContexts: ['default'] }],
    },
  };

  it('renders under ai.prompt.contexts in SWML spelling, schema-valid', () => {
    const agent = newAgent()
      .setPrompt('You are a helpful agent.')
      .defineTool('lookup', 'Look up', undefined, () => 'x')
      .setContexts(flow);
    const ai = aiOf(expectValidSwml(agent.renderSwml()));
    expect(ai.prompt.contexts).toEqual({
      default: {
        steps: [
          {
            name: 'greet',
            text: 'Greet the caller and ask what they need.',
            step_criteria: 'The caller said what they need.',
            valid_steps: ['next'],
            valid_contexts: ['billing'],
          },
          { name: 'help', pom: [{ title: 'Task', body: 'Answer the question.' }], functions: ['lookup'], end: true },
        ],
      },
      billing: {
        steps: [{ name: 'pay', text: 'Take the payment.', valid_contexts: ['default'] }],
        isolated: true,
        enter_fillers: [{ 'en-US': ['Switching to billing'] }],
      },
    });
    expect(ai.contexts).toBeUndefined();
    expect(new SwaigResult().changeContext('billing').changeStep('pay').toJSON()).toEqual({ action: [{ change_context: 'billing' }, { change_step: 'pay' }] });
  });

  it.each([
    ['no default context', { sales: flow.default }, 'contexts.default'],
    ['a step without text or sections', { default: { steps: [{ name: 'x' }] } }, 'contexts.default.steps.0.text'],
    ['a step with both', { default: { steps: [{ name: 'x', text: 'a', sections: [{ title: 't', body: 'b' }] }] } }, 'contexts.default.steps.0.text'],
    [
      'duplicate step names',
      {
        default: {
          steps: [
            { name: 'x', text: 'a' },
            { name: 'x', text: 'b' },
          ],
        },
      },
      'contexts.default.steps.1.name',
    ],
    ['a valid step that does not exist', { default: { steps: [{ name: 'x', text: 'a', validSteps: ['nowhere'] }] } }, 'contexts.default.steps.0.validSteps'],
    [
      'a valid context that does not exist',
      { default: { steps: [{ name: 'x', text: 'a', validContexts: ['ghost'] }] } },
      'contexts.default.steps.0.validContexts',
    ],
    ['no steps', { default: { steps: [] } }, 'contexts.default.steps'],
    ['an unknown key', { default: { steps: [{ name: 'x', text: 'a', criterion: 'typo' }] } }, 'contexts.default.steps.0.criterion'],
  ])('refuses %s, naming the field', (_label, def, field) => {
    expect(fieldOf(() => newAgent().setContexts(def as never))).toBe(field);
  });
});

describe('DataMap functions and external webhooks', () => {
  const weather = {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City' } }, required: ['city'] },
    dataMap: {
      webhooks: [
        {
          url: 'https://api.weather.example.com/v1/current?q=${enc:args.city}',
          method: 'GET',
          headers: { 'X-Key': 'demo' },
          output: { response: 'It is ${response.temp} degrees in ${args.city}.', action: [{ set_global_data: { last_city: '${args.city}' } }] },
        },
      ],
      output: { response: 'The weather service is unavailable.' },
    },
  };

  it('renders data_map functions (no web_hook_url, no token) and external web_hook_urls, with SWAIG.defaults', () => {
    const agent = newAgent()
      .defineDataMapTool(weather)
      .defineTool({ name: 'crm_lookup', description: 'CRM lookup', webHookUrl: 'https://crm.example.com/swaig?k=1' })
      .defineTool('local', 'Local', undefined, () => 'x');
    const ai = aiOf(expectValidSwml(agent.renderSwml({ callId: 'c-1' })));
    const [dm, ext, local] = ai.SWAIG.functions;
    expect(dm).toEqual({ function: 'get_weather', description: weather.description, parameters: weather.parameters, data_map: weather.dataMap });
    expect(ext).toEqual({
      function: 'crm_lookup',
      description: 'CRM lookup',
      parameters: { type: 'object', properties: {} },
      web_hook_url: 'https://crm.example.com/swaig?k=1',
    });
    expect(local.web_hook_url).toMatch(/\/swaig\?__token=/);
    expect(ai.SWAIG.defaults.web_hook_url).toBe('http://agent_user:p%40ss%3Aw%2Frd%25secret@localhost:3000/swaig?call_id=c-1');
  });

  it('a data_map function posted to the agent answers that SignalWire runs it (200, no handler)', async () => {
    const agent = newAgent().defineDataMapTool(weather);
    const res = await request(agent.app()).post('/swaig').auth(AUTH.user, AUTH.password).send({ function: 'get_weather', call_id: 'c' });
    expect(res.status).toBe(200);
    expect(res.body.response).toMatch(/handled elsewhere/);
  });

  it('refuses a data_map the schema rejects and a bad webHookUrl, naming the field', () => {
    expect(fieldOf(() => newAgent().defineDataMapTool({ ...weather, dataMap: { webhooks: [{ method: 'GET' }] } }))).toMatch(/^dataMap\.webhooks\.0/);
    expect(fieldOf(() => newAgent().defineDataMapTool({ ...weather, dataMap: { error_keys: ['e'] } }))).toMatch(/^dataMap/);
    expect(fieldOf(() => newAgent().defineTool({ name: 'x', description: 'd', webHookUrl: 'ftp://nope' }))).toBe('webHookUrl');
    expect(fieldOf(() => newAgent().defineTool({ name: 'x', description: 'd' } as never))).toBe('handler');
  });

  it('SWAIG.defaults override, includes and internal_fillers render schema-valid; bad ones are refused', () => {
    const agent = newAgent()
      .defineTool('local', 'Local', undefined, () => 'x')
      .setDefaultWebhookUrl('https://hooks.example.com/swaig')
      .addSwaigInclude({ url: 'https://tools.example.com/swaig', functions: ['remote_a', 'remote_b'], meta_data: { team: 'x' } })
      .setInternalFillers({ hangup: { 'en-US': ['Goodbye!'] }, check_time: { default: ['Let me look'] } });
    const swaig = aiOf(expectValidSwml(agent.renderSwml())).SWAIG;
    expect(swaig.defaults).toEqual({ web_hook_url: 'https://hooks.example.com/swaig' });
    expect(swaig.includes).toEqual([{ url: 'https://tools.example.com/swaig', functions: ['remote_a', 'remote_b'], meta_data: { team: 'x' } }]);
    expect(swaig.internal_fillers).toEqual({ hangup: { 'en-US': ['Goodbye!'] }, check_time: { default: ['Let me look'] } });
    expect(fieldOf(() => newAgent().setInternalFillers({ teleport: { 'en-US': ['x'] } }))).toMatch(/^internalFillers/);
    expect(fieldOf(() => newAgent().addSwaigInclude({ url: 'https://x', functions: 'a' as never }))).toMatch(/^swaigInclude/);
  });
});

describe('debug events', () => {
  it('points params.debug_webhook_url at /debug_events and hands each event to the handlers', async () => {
    const { logger, lines } = captureLogger();
    const agent = new Agent({ name: 'dbg', route: '/dbg', basicAuth: AUTH, logger });
    const seen: Array<[string, unknown]> = [];
    agent.onDebugEvent((event, type) => void seen.push([type, event.call_id]), 2);
    agent.onDebugEvent(() => {
      throw new Error('handler bug');
    });
    const params = aiOf(expectValidSwml(agent.renderSwml())).params;
    expect(params).toEqual({ debug_webhook_url: 'http://agent_user:p%40ss%3Aw%2Frd%25secret@localhost:3000/dbg/debug_events', debug_webhook_level: 2 });
    const res = await request(agent.app()).post('/dbg/debug_events').auth(AUTH.user, AUTH.password).send({ label: 'ai_response', call_id: 'c-7' });
    expect(res.body).toEqual({ status: 'ok' });
    await request(agent.app()).post('/dbg/debug_events').auth(AUTH.user, AUTH.password).send({ action: 'session_start' });
    expect(seen).toEqual([
      ['ai_response', 'c-7'],
      ['session_start', undefined],
    ]);
    expect(lines.some((l) => l.msg === 'onDebugEvent handler failed' && l.call_id === 'c-7')).toBe(true);
    expect((await request(agent.app()).get('/dbg/debug_events').auth(AUTH.user, AUTH.password)).status).toBe(405);
    expect((await request(agent.app()).post('/dbg/debug_events').send({})).status).toBe(401);
  });
});

describe('schema check sanity', () => {
  it('the same contexts under ai (not prompt) would be invalid SWML', () => {
    const doc = newAgent()
      .setContexts({ default: { steps: [{ name: 's', text: 't' }] } })
      .renderSwml() as any;
    const ai = doc.sections.main[1].ai;
    ai.contexts = ai.prompt.contexts;
    delete ai.prompt.contexts;
    expect(swmlErrors(doc).length).toBeGreaterThan(0);
  });
});
