import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A JSON-RPC request the client sent (acks, which have no method, are left out). */
export interface RelayFrame {
  id: string;
  method: string;
  params: Record<string, unknown>;
}

export interface FakeRelayOptions {
  project: string;
  token: string;
  /** 'answered' (default), 'failed', or 'ignore' (never emits a dial event). */
  dial?: 'answered' | 'failed' | 'ignore';
  /** Never answer `signalwire.connect` (the client then waits forever). */
  silentConnect?: boolean;
  /** Right after the answer, push an `ended` state as if the far end hung up. */
  remoteHangup?: boolean;
}

export interface FakeRelay {
  /** `ws://127.0.0.1:PORT`, for the client's `host` option. */
  host: string;
  frames: RelayFrame[];
  /** Frames with this method. */
  sent(method: string): RelayFrame[];
  close(): Promise<void>;
}

const CALL_ID = 'call-1';
const NODE_ID = 'node-1';

function sendEvent(ws: WebSocket, eventType: string, params: Record<string, unknown>): void {
  ws.send(
    JSON.stringify({
      jsonrpc: '2.0',
      id: randomUUID(),
      method: 'signalwire.event',
      params: { event_type: eventType, event_channel: 'fake', timestamp: Date.now() / 1000, params },
    }),
  );
}

function callPayload(dial: RelayFrame, state: string): Record<string, unknown> {
  const devices = dial.params.devices as unknown[][];
  return { call_id: CALL_ID, node_id: NODE_ID, tag: dial.params.tag, call_state: state, direction: 'outbound', device: devices[0]?.[0] };
}

function onCommand(ws: WebSocket, frame: RelayFrame, opts: FakeRelayOptions, frames: RelayFrame[]): void {
  const dialFrame = frames.find((f) => f.method === 'calling.dial');
  if (frame.method === 'calling.dial') {
    if (opts.dial === 'ignore') return;
    if (opts.dial === 'failed') {
      sendEvent(ws, 'calling.call.dial', { tag: frame.params.tag, node_id: NODE_ID, dial_state: 'failed', call: callPayload(frame, 'ended') });
      return;
    }
    sendEvent(ws, 'calling.call.state', callPayload(frame, 'created'));
    sendEvent(ws, 'calling.call.dial', { tag: frame.params.tag, node_id: NODE_ID, dial_state: 'answered', call: callPayload(frame, 'answered') });
    sendEvent(ws, 'calling.call.state', callPayload(frame, 'answered'));
    if (opts.remoteHangup) sendEvent(ws, 'calling.call.state', { ...callPayload(frame, 'ended'), end_reason: 'hangup' });
  } else if (frame.method === 'calling.play') {
    const ids = { call_id: frame.params.call_id, node_id: frame.params.node_id, control_id: frame.params.control_id };
    sendEvent(ws, 'calling.call.play', { ...ids, state: 'playing' });
    sendEvent(ws, 'calling.call.play', { ...ids, state: 'finished' });
  } else if (frame.method === 'calling.end' && dialFrame) {
    sendEvent(ws, 'calling.call.state', { ...callPayload(dialFrame, 'ended'), end_reason: 'hangup' });
  }
}

/**
 * A RELAY server on 127.0.0.1:0 that speaks just enough of the protocol for `@signalwire/realtime-api`:
 * connect (JSON-RPC error -32002 on wrong project/token), `{code:'200'}` for every command, and the dial,
 * state and play events an outbound call produces. Every request frame is recorded.
 */
export async function startFakeRelay(opts: FakeRelayOptions): Promise<FakeRelay> {
  const frames: RelayFrame[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as Partial<RelayFrame>;
      if (typeof message.method !== 'string' || message.id === undefined) return;
      const frame = message as RelayFrame;
      frames.push(frame);
      const respond = (body: object): void => ws.send(JSON.stringify({ jsonrpc: '2.0', id: frame.id, ...body }));
      if (frame.method === 'signalwire.connect') {
        if (opts.silentConnect) return;
        const auth = frame.params.authentication as { project?: string; token?: string };
        if (auth.project !== opts.project || auth.token !== opts.token) {
          return respond({ error: { code: -32002, message: 'Authentication service failed with status ProtocolError, 401 Unauthorized' } });
        }
        return respond({ result: { identity: 'fake', protocol: 'signalwire_fake', authorization: { project_id: opts.project } } });
      }
      respond({ result: { code: '200', message: 'OK' } });
      onCommand(ws, frame, opts, frames);
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    host: `ws://127.0.0.1:${port}`,
    frames,
    sent: (method) => frames.filter((f) => f.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
