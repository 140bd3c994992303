import { describe, expect, it } from 'vitest';
import { SwaigResult } from '../../src/index.js';

describe('SwaigResult', () => {
  it('defaults to "Action completed." and omits empty actions', () => {
    expect(new SwaigResult().toJSON()).toEqual({ response: 'Action completed.' });
  });

  it('an actions-only result carries no invented response (as the Python SDK)', () => {
    expect(new SwaigResult().hangup().toJSON()).toEqual({ action: [{ hangup: true }] });
    expect(JSON.stringify(new SwaigResult().say('Bye').setPostProcess(true))).toBe('{"action":[{"say":"Bye"}],"post_process":true}');
  });

  it('chains the common actions into the documented wire shapes', () => {
    const r = new SwaigResult('Done')
      .say('Goodbye')
      .setGlobalData({ a: 1 })
      .unsetGlobalData(['b', 'c'])
      .setMetaData({ m: true })
      .unsetMetaData('m')
      .toggleFunctions([{ function: 'transfer', active: false }, { function: ['a', 'b'], active: true }])
      .hold(2000)
      .waitForUser('answer_first')
      .userInput('hello')
      .updateSettings({ temperature: 0.5 })
      .addDynamicHints(['Tulsa'])
      .clearDynamicHints()
      .setEndOfSpeechTimeout(800)
      .stop()
      .hangup();
    expect(r.toJSON()).toEqual({
      response: 'Done',
      action: [
        { say: 'Goodbye' },
        { set_global_data: { a: 1 } },
        { unset_global_data: ['b', 'c'] },
        { set_meta_data: { m: true } },
        { unset_meta_data: 'm' },
        { toggle_functions: [{ function: 'transfer', active: false }, { function: ['a', 'b'], active: true }] },
        { hold: 900 },
        { wait_for_user: 'answer_first' },
        { user_input: 'hello' },
        { settings: { temperature: 0.5 } },
        { add_dynamic_hints: ['Tulsa'] },
        { clear_dynamic_hints: {} },
        { end_of_speech_timeout: 800 },
        { stop: true },
        { hangup: true },
      ],
    });
  });

  it('builds SWML transfers with string transfer flags', () => {
    const r = new SwaigResult('Transferring').swmlTransfer('https://example.com/sales.json', 'Back with you', false);
    expect(r.toJSON().action).toEqual([
      {
        SWML: { version: '1.0.0', sections: { main: [{ set: { ai_response: 'Back with you' } }, { transfer: { dest: 'https://example.com/sales.json' } }] } },
        transfer: 'false',
      },
    ]);
    expect(new SwaigResult().swmlTransfer('x', 'y').toJSON().action?.[0]?.transfer).toBe('true');
  });

  it('executeSwml / connect / sendSms', () => {
    const doc = { sections: { main: [{ play: { url: 'say:hi' } }] } };
    expect(new SwaigResult().executeSwml(doc).toJSON().action).toEqual([{ SWML: { version: '1.0.0', sections: doc.sections } }]);
    // SignalWire documents `transfer` as a sibling of `SWML` in the same action object (not inside the SWML
    // document, where the SWML schema forbids extra keys); the string form is what both SDKs send.
    expect(new SwaigResult().executeSwml(doc, true).toJSON().action).toEqual([{ SWML: { version: '1.0.0', sections: doc.sections }, transfer: 'true' }]);
    expect(new SwaigResult().connect('+15551234567', { from: '+15550000000' }).toJSON().action).toEqual([
      { SWML: { version: '1.0.0', sections: { main: [{ connect: { to: '+15551234567', from: '+15550000000' } }] } }, transfer: 'true' },
    ]);
    const sms = new SwaigResult().sendSms({ to: '+1', from: '+2', body: 'hi' }).toJSON().action?.[0] as Record<string, any>;
    expect(sms.SWML.sections.main[0]).toEqual({ send_sms: { to_number: '+1', from_number: '+2', body: 'hi' } });
  });

  it('post_process only with actions; addAction for anything else', () => {
    expect(new SwaigResult('x').setPostProcess(true).toJSON()).toEqual({ response: 'x' });
    expect(new SwaigResult('x').addAction('playback_bg', { file: 'a.mp3', wait: true }).setPostProcess(true).toJSON()).toEqual({
      response: 'x',
      action: [{ playback_bg: { file: 'a.mp3', wait: true } }],
      post_process: true,
    });
    expect(new SwaigResult().switchContext('New prompt', { consolidate: true }).toJSON().action).toEqual([
      { context_switch: { system_prompt: 'New prompt', consolidate: true } },
    ]);
  });

  it('serialises via JSON.stringify', () => {
    expect(JSON.parse(JSON.stringify(new SwaigResult('a').say('b')))).toEqual({ response: 'a', action: [{ say: 'b' }] });
  });
});
