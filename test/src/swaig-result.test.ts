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
      .toggleFunctions([
        { function: 'transfer', active: false },
        { function: ['a', 'b'], active: true },
      ])
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
        {
          toggle_functions: [
            { function: 'transfer', active: false },
            { function: ['a', 'b'], active: true },
          ],
        },
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

  describe('call-control helpers (Python SDK wire shapes)', () => {
    const main = (r: SwaigResult) => (r.toJSON().action?.[0] as { SWML: { version: string; sections: { main: unknown[] } } }).SWML;
    it.each([
      [
        'recordCall defaults',
        (r: SwaigResult) => r.recordCall(),
        [{ record_call: { stereo: false, format: 'wav', direction: 'both', beep: false, input_sensitivity: 44 } }],
      ],
      [
        'recordCall options',
        (r: SwaigResult) => r.recordCall({ controlId: 'rec1', format: 'mp3', maxLength: 60, statusUrl: 'https://x/s' }),
        [
          {
            record_call: {
              stereo: false,
              format: 'mp3',
              direction: 'both',
              beep: false,
              input_sensitivity: 44,
              control_id: 'rec1',
              max_length: 60,
              status_url: 'https://x/s',
            },
          },
        ],
      ],
      ['stopRecordCall', (r: SwaigResult) => r.stopRecordCall('rec1'), [{ stop_record_call: { control_id: 'rec1' } }]],
      ['joinConference plain', (r: SwaigResult) => r.joinConference('team'), [{ join_conference: 'team' }]],
      [
        'joinConference options',
        (r: SwaigResult) => r.joinConference('team', { muted: true, beep: 'onEnter', maxParticipants: 10 }),
        [{ join_conference: { name: 'team', muted: true, beep: 'onEnter', max_participants: 10 } }],
      ],
      ['joinRoom', (r: SwaigResult) => r.joinRoom('lobby'), [{ join_room: { name: 'lobby' } }]],
      ['sipRefer', (r: SwaigResult) => r.sipRefer('sip:desk@example.com'), [{ sip_refer: { to_uri: 'sip:desk@example.com' } }]],
      [
        'tap',
        (r: SwaigResult) => r.tap('wss://tap.example.com', { codec: 'PCMA', rtpPtime: 30 }),
        [{ tap: { uri: 'wss://tap.example.com', codec: 'PCMA', rtp_ptime: 30 } }],
      ],
      ['stopTap', (r: SwaigResult) => r.stopTap(), [{ stop_tap: {} }]],
      [
        'executeRpc',
        (r: SwaigResult) => r.executeRpc('ai_message', { callId: 'c2', params: { x: 1 } }),
        [{ execute_rpc: { method: 'ai_message', call_id: 'c2', params: { x: 1 } } }],
      ],
      [
        'rpcDial',
        (r: SwaigResult) => r.rpcDial('+1555', '+1666', 'https://x/swml'),
        [
          {
            execute_rpc: {
              method: 'dial',
              params: { devices: { type: 'phone', params: { to_number: '+1555', from_number: '+1666' } }, dest_swml: 'https://x/swml' },
            },
          },
        ],
      ],
      [
        'rpcAiMessage',
        (r: SwaigResult) => r.rpcAiMessage('c2', 'hello'),
        [{ execute_rpc: { method: 'ai_message', call_id: 'c2', params: { role: 'system', message_text: 'hello' } } }],
      ],
      ['rpcAiUnhold', (r: SwaigResult) => r.rpcAiUnhold('c2'), [{ execute_rpc: { method: 'ai_unhold', call_id: 'c2' } }]],
      ['swmlUserEvent', (r: SwaigResult) => r.swmlUserEvent({ type: 'cards', n: 2 }), [{ user_event: { event: { type: 'cards', n: 2 } } }]],
      [
        'sendSms with media, tags, region',
        (r: SwaigResult) => r.sendSms({ to: '+1', from: '+2', media: ['https://x/a.jpg'], tags: ['t'], region: 'us' }),
        [{ send_sms: { to_number: '+1', from_number: '+2', media: ['https://x/a.jpg'], tags: ['t'], region: 'us' } }],
      ],
    ])('%s', (_label, build, verbs) => {
      const swml = main(build(new SwaigResult()));
      expect(swml).toEqual({ version: '1.0.0', sections: { main: verbs } });
    });

    it('pay sets ai_response, then pay with string flags', () => {
      const verbs = main(new SwaigResult().pay({ connectorUrl: 'https://pay.example.com', chargeAmount: '10.00' })).sections.main as Array<Record<string, any>>;
      expect(verbs[0]).toEqual({ set: { ai_response: expect.stringContaining('${pay_result}') } });
      expect(verbs[1]!.pay).toMatchObject({
        payment_connector_url: 'https://pay.example.com',
        input: 'dtmf',
        timeout: '5',
        max_attempts: '1',
        security_code: 'true',
        postal_code: 'true',
        charge_amount: '10.00',
      });
    });

    it('history and data actions; refusals for bad options', () => {
      expect(new SwaigResult('ok').replaceInHistory('summary').extensiveData().toJSON().action).toEqual([
        { replace_in_history: 'summary' },
        { extensive_data: true },
      ]);
      expect(() => new SwaigResult().sendSms({ to: '+1', from: '+2' })).toThrow(/body or media/);
      expect(() => new SwaigResult().recordCall({ format: 'ogg' as never })).toThrow(/format/);
      expect(() => new SwaigResult().joinConference(' ')).toThrow(/empty/);
      expect(() => new SwaigResult().tap('wss://x', { rtpPtime: 0 })).toThrow(/rtpPtime/);
    });
  });
});
