import { describe, expect, it } from 'vitest';
import { Agent, AgentConfigError, SwaigResult, loadSwmlSchemaValidator } from '../../src/index.js';
import { AUTH, silentLogger } from './helpers/agent.js';
import { expectValidSwml, swmlSchemaPath } from '../helpers/swml-schema.js';

type Doc = { version: string; sections: { main: Array<Record<string, any>> } };
const aiOf = (doc: Doc): Record<string, any> => doc.sections.main.find((v) => 'ai' in v)!.ai;
const newAgent = (extra: Record<string, unknown> = {}) => new Agent({ name: 'render-test', basicAuth: AUTH, logger: silentLogger(), port: 3000, ...extra });

describe('SWML rendering', () => {
  it('renders the minimal document: answer then ai with a text prompt and empty params', () => {
    const doc = expectValidSwml(newAgent().setPrompt('You help people.').renderSwml()) as Doc;
    expect(doc.version).toBe('1.0.0');
    expect(doc.sections.main).toEqual([{ answer: {} }, { ai: { prompt: { text: 'You help people.' }, params: {} } }]);
  });

  it('falls back to a default prompt naming the agent', () => {
    const ai = aiOf(expectValidSwml(newAgent().renderSwml()) as Doc);
    expect(ai.prompt.text).toContain('render-test');
  });

  it('renders POM sections, with plain text as the untitled first section', () => {
    const agent = newAgent()
      .setPrompt('Lead text.')
      .promptAddSection({ title: 'Role', body: 'You are a helpful agent.' })
      .promptAddSection({ title: 'Rules', bullets: ['Be brief', 'Be kind'], numberedBullets: true })
      .promptAddSection({ title: 'Nested', body: 'Top', subsections: [{ title: 'Sub', bullets: ['one'] }] })
      .setPromptSettings({ temperature: 0.3, top_p: 0.9 });
    const ai = aiOf(expectValidSwml(agent.renderSwml()) as Doc);
    expect(ai.prompt.temperature).toBe(0.3);
    expect(ai.prompt.pom).toEqual([
      { body: 'Lead text.' },
      { title: 'Role', body: 'You are a helpful agent.' },
      { title: 'Rules', bullets: ['Be brief', 'Be kind'], numberedBullets: true },
      { title: 'Nested', body: 'Top', subsections: [{ title: 'Sub', bullets: ['one'] }] },
    ]);
    expect(agent.promptHasSection('Rules')).toBe(true);
  });

  it('orders verbs: pre-answer, answer, post-answer, ai, post-ai', () => {
    const agent = newAgent()
      .addPreAnswerVerb({ set: { greeted: false } })
      .addPostAnswerVerb({ record_call: { format: 'mp4', stereo: true } })
      .addPostAiVerb({ hangup: {} });
    const doc = expectValidSwml(agent.renderSwml()) as Doc;
    expect(doc.sections.main.map((v) => Object.keys(v)[0])).toEqual(['set', 'answer', 'record_call', 'ai', 'hangup']);
  });

  it('omits answer when autoAnswer is false', () => {
    const doc = expectValidSwml(newAgent({ autoAnswer: false }).renderSwml()) as Doc;
    expect(doc.sections.main.map((v) => Object.keys(v)[0])).toEqual(['ai']);
  });

  it('renders a full document with 20 functions, POM, hints, languages, pronounce, hooks and params: 0 schema errors', () => {
    const agent = newAgent({ route: '/sales' })
      .promptAddSection({ title: 'Role', body: 'You sell things.' })
      .promptAddSection({ title: 'Rules', bullets: ['Confirm orders'] })
      .setPostPrompt('Summarize the call as JSON.', { temperature: 0.1 })
      .addHints(['SignalWire', 'SWAIG', { hint: 'sig nal wire', pattern: 'sig\\s*nal\\s*wire', replace: 'SignalWire', ignore_case: true }])
      .addLanguage({ name: 'English', code: 'en-US', voice: 'rime.spore' })
      .addLanguage({ name: 'French', code: 'fr-FR', voice: 'gcloud.fr-FR-Neural2-B', function_fillers: ['Un instant'] })
      .addPronounce({ replace: 'SW', with: 'SignalWire', ignore_case: false })
      .setParams({ end_of_speech_timeout: 700, debug_webhook_level: 1 })
      .setParam('app_name', 'sales agent')
      .setGlobalData({ tier: 'gold' })
      .updateGlobalData({ region: 'us' })
      .setNativeFunctions(['check_time', 'wait_for_user']);
    for (let i = 0; i < 20; i++) {
      agent.defineTool({
        name: `tool_${i}`,
        description: `Tool number ${i}`,
        parameters: {
          type: 'object',
          properties: {
            text: { type: 'string', description: 'Some text' },
            count: { type: 'integer', description: 'How many' },
            tags: { type: 'array', items: { type: 'string' }, description: 'Tags' },
          },
          required: ['text'],
        },
        ...(i % 2 === 0 ? { fillers: { 'en-US': ['One moment'] } } : {}),
        ...(i % 3 === 0 ? { metaData: { index: i }, swaigFields: { meta_data_token: `tok${i}`, wait_for_fillers: true } } : {}),
        handler: () => new SwaigResult(`ran ${i}`),
      });
    }
    agent.onStartup(() => 'started');
    agent.onHangup(() => 'cleaned');
    agent.onSummary(() => undefined);

    const doc = expectValidSwml(agent.renderSwml()) as Doc;
    const ai = aiOf(doc);
    const names = ai.SWAIG.functions.map((f: { function: string }) => f.function);
    expect(names).toHaveLength(22);
    expect(names.slice(-2)).toEqual(['startup_hook', 'hangup_hook']);
    expect(ai.prompt.pom).toHaveLength(2);
    expect(ai.post_prompt).toEqual({ text: 'Summarize the call as JSON.', temperature: 0.1 });
    expect(ai.post_prompt_url).toBe('http://agent_user:p%40ss%3Aw%2Frd%25secret@localhost:3000/sales/post_prompt');
    expect(ai.hints).toHaveLength(3);
    expect(ai.languages).toHaveLength(2);
    expect(ai.pronounce).toEqual([{ replace: 'SW', with: 'SignalWire', ignore_case: false }]);
    expect(ai.params).toEqual({ end_of_speech_timeout: 700, debug_webhook_level: 1, app_name: 'sales agent' });
    expect(ai.global_data).toEqual({ tier: 'gold', region: 'us' });
    expect(ai.SWAIG.native_functions).toEqual(['check_time', 'wait_for_user']);
    const t0 = ai.SWAIG.functions[0];
    expect(t0).toMatchObject({ fillers: { 'en-US': ['One moment'] }, meta_data: { index: 0 }, meta_data_token: 'tok0', wait_for_fillers: true });
    expect(ai.SWAIG.defaults).toEqual({ web_hook_url: 'http://agent_user:p%40ss%3Aw%2Frd%25secret@localhost:3000/sales/swaig' });
    for (const f of ai.SWAIG.functions) expect(f.web_hook_url).toBeUndefined(); // no call id: no tokens, defaults serve
    expect(Object.keys(ai).sort()).toEqual(
      ['SWAIG', 'global_data', 'hints', 'languages', 'params', 'post_prompt', 'post_prompt_url', 'prompt', 'pronounce'].sort(),
    );
  });

  it('uses an explicit post_prompt_url as given', () => {
    const ai = aiOf(expectValidSwml(newAgent().setPostPrompt('Sum up').setPostPromptUrl('https://hooks.example.com/summary').renderSwml()) as Doc);
    expect(ai.post_prompt_url).toBe('https://hooks.example.com/summary');
  });

  it('leaves SWAIG and post_prompt_url out when there is nothing to call', () => {
    const ai = aiOf(expectValidSwml(newAgent().renderSwml()) as Doc);
    expect(ai.SWAIG).toBeUndefined();
    expect(ai.post_prompt_url).toBeUndefined();
  });

  it('lists tools and hooks with their schemas', () => {
    const agent = newAgent().defineTool('lookup', 'Look up', { type: 'object', properties: { q: { type: 'string' } } }, () => 'x');
    agent.onHangup(() => undefined);
    expect(agent.listTools()).toEqual([
      { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } }, kind: 'tool' },
      { name: 'hangup_hook', description: expect.any(String), parameters: { type: 'object', properties: {} }, kind: 'hook' },
    ]);
  });

  it('drops non-schema keys at the top of parameters', () => {
    const agent = newAgent().defineTool({
      name: 'strict_params',
      description: 'x',
      parameters: { type: 'object', properties: {}, additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' },
      handler: () => 'ok',
    });
    const fn = aiOf(expectValidSwml(agent.renderSwml()) as Doc).SWAIG.functions[0];
    expect(fn.parameters).toEqual({ type: 'object', properties: {} });
  });
});

describe('definition errors name the field', () => {
  const handler = () => 'ok';
  const cases: Array<[string, () => unknown, string]> = [
    ['bad tool name', () => newAgent().defineTool({ name: 'bad-name', description: 'd', handler }), 'name'],
    ['reserved name', () => newAgent().defineTool({ name: 'hangup_hook', description: 'd', handler }), 'name'],
    ['missing description', () => newAgent().defineTool({ name: 'ok_name', description: ' ', handler }), 'description'],
    ['two filler languages', () => newAgent().defineTool({ name: 'f', description: 'd', handler, fillers: { en: ['a'], fr: ['b'] } }), 'swaigFields.fillers'],
    [
      'unknown swaig field',
      () => newAgent().defineTool({ name: 'f', description: 'd', handler, swaigFields: { secure: true } as never }),
      'swaigFields.secure',
    ],
    ['parameters not object', () => newAgent().defineTool({ name: 'f', description: 'd', handler, parameters: { type: 'string' } }), 'parameters.type'],
    ['language without voice', () => newAgent().addLanguage({ name: 'English', code: 'en-US' } as never), 'language.voice'],
    ['unknown native function', () => newAgent().setNativeFunctions(['teleport' as never]), 'nativeFunctions.0'],
    ['section without title', () => newAgent().promptAddSection({ body: 'x' }), 'promptSection.title'],
    ['section without content', () => newAgent().promptAddSection({ title: 'Empty' }), 'promptSection.body'],
    ['section with only subsections', () => newAgent().promptAddSection({ title: 'Outer', subsections: [{ title: 'In', body: 'x' }] }), 'promptSection.body'],
    ['empty subsections list', () => newAgent().promptAddSection({ title: 'S', body: 'x', subsections: [] }), 'promptSection.subsections'],
    [
      'language mixing fillers with speech_fillers',
      () => newAgent().addLanguage({ name: 'English', code: 'en-US', voice: 'v', fillers: ['um'], speech_fillers: ['uh'] }),
      'language.fillers',
    ],
    [
      'unknown language param',
      () => newAgent().addLanguage({ name: 'English', code: 'en-US', voice: 'v', params: { pitch: 2 } as never }),
      'language.params.pitch',
    ],
    [
      'language param out of range',
      () => newAgent().addLanguage({ name: 'English', code: 'en-US', voice: 'v', params: { stability: 3 } }),
      'language.params.stability',
    ],
    [
      'integer with minimum',
      () =>
        newAgent().defineTool({ name: 'f', description: 'd', handler, parameters: { type: 'object', properties: { count: { type: 'integer', minimum: 1 } } } }),
      'parameters.properties.count.minimum',
    ],
    [
      'type list',
      () => newAgent().defineTool({ name: 'f', description: 'd', handler, parameters: { type: 'object', properties: { note: { type: ['string', 'null'] } } } }),
      'parameters.properties.note.type',
    ],
    [
      'array without items',
      () => newAgent().defineTool({ name: 'f', description: 'd', handler, parameters: { type: 'object', properties: { tags: { type: 'array' } } } }),
      'parameters.properties.tags.items',
    ],
    [
      'nested array without items',
      () =>
        newAgent().defineTool({
          name: 'f',
          description: 'd',
          handler,
          parameters: { type: 'object', properties: { o: { type: 'object', properties: { t: { type: 'array' } } } } },
        }),
      'parameters.properties.o.properties.t.items',
    ],
    ['params value of the wrong type', () => newAgent().setParams({ end_of_speech_timeout: 'soon' }), 'params.end_of_speech_timeout'],
    ['one params value of the wrong type', () => newAgent().setParam('attention_timeout', 'soon'), 'params.attention_timeout'],
    ['verb with two keys', () => newAgent().addPostAiVerb({ hangup: {}, play: {} }), 'postAiVerb'],
    ['bad route', () => newAgent({ route: 'sales' }), 'options.route'],
  ];
  it.each(cases)('%s', (_label, run, field) => {
    // The message names the field too, so a developer sees it without inspecting the error object.
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AgentConfigError);
    expect((caught as AgentConfigError).field).toBe(field);
    expect((caught as AgentConfigError).message).toContain(field.split('.').pop());
  });

  it('refuses a duplicate tool', () => {
    const agent = newAgent().defineTool('dup', 'd', undefined, () => 'x');
    expect(() => agent.defineTool('dup', 'd', undefined, () => 'x')).toThrow(/already defined/);
  });
});

describe('the schema check itself', () => {
  it('reports errors for an off-schema function key (the SDK is_hangup_hook pitfall)', () => {
    const doc = newAgent()
      .defineTool('t', 'd', undefined, () => 'x')
      .renderSwml() as Doc;
    aiOf(doc).SWAIG.functions[0].is_hangup_hook = true;
    const result = loadSwmlSchemaValidator(swmlSchemaPath)(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.some((e) => e.path.includes('/SWAIG/functions/0'))).toBe(true);
  });
});
