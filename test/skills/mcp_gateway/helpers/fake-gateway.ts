/** Test helper: a tiny HTTP server speaking the gateway API shape, with programmable answers and a request log. */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  remotePort: number | undefined;
}

export type FakeHandler = (req: RecordedRequest, res: ServerResponse, socket: Socket) => void;

export interface FakeGateway {
  url: string;
  requests: RecordedRequest[];
  /** Replace the handler for `METHOD /path` (exact match). */
  on(route: string, handler: FakeHandler): void;
  close(): Promise<void>;
}

export const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A `POST /services/:name/call` answer in the contract's shape, for the call `req` asked for. */
export const callAnswer = (req: RecordedRequest, result: string): Record<string, unknown> => {
  const body = req.body as { session_id: string; tool: string };
  return { session_id: body.session_id, service: req.url.split('/')[2], tool: body.tool, result, is_error: false };
};

/** Starts the fake on 127.0.0.1:0 (HTTPS when `tls` is given). Unknown routes answer 404 in the gateway's wire shape. */
export async function startFakeGateway(tls?: { key: string; cert: string }): Promise<FakeGateway> {
  const handlers = new Map<string, FakeHandler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
        remotePort: req.socket.remotePort,
      };
      requests.push(record);
      const handler = handlers.get(`${record.method} ${record.url}`);
      if (handler) handler(record, res, req.socket);
      else json(res, 404, { error: 'not found', code: 'not_found' });
    });
  };
  const server: Server = tls ? createHttps(tls, listener) : createHttp(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    on: (route, handler) => void handlers.set(route, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createHttp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
