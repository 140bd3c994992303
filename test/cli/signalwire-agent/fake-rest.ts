import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake REST API received. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/api/relay/rest/phone_numbers?filter_number=%2B1555…`. */
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A phone number as the fake stores it (a subset of SignalWire's resource). */
export type FakeNumber = { id: string; number: string; name?: string | null } & Record<string, unknown>;

export interface FakeRest {
  /** e.g. `http://127.0.0.1:PORT/api/relay/rest` */
  apiBase: string;
  requests: RecordedRequest[];
  numbers: Map<string, FakeNumber>;
  /** Makes every later request answer with this status and body (e.g. 500). */
  failWith(status: number, body: unknown): void;
  close(): Promise<void>;
}

const PREFIX = '/api/relay/rest';

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * Starts a fake `/api/relay/rest/phone_numbers` API on 127.0.0.1:0 that checks Basic auth against
 * `project:token` (401 otherwise) and supports list-with-filter, get-by-id and update.
 */
export async function startFakeRest(opts: { project: string; token: string; numbers: FakeNumber[] }): Promise<FakeRest> {
  const numbers = new Map(opts.numbers.map((n) => [n.id, { ...n }]));
  const requests: RecordedRequest[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${opts.project}:${opts.token}`).toString('base64')}`;
  let forced: { status: number; body: unknown } | undefined;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      if (forced) return reply(res, forced.status, forced.body);
      if (req.headers.authorization !== expectedAuth) {
        res.setHeader('www-authenticate', 'Basic realm="SignalWire"');
        return reply(res, 401, { errors: [{ code: 'unauthorized', message: 'Unauthorized' }] });
      }
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === `${PREFIX}/phone_numbers` && req.method === 'GET') {
        const filter = url.searchParams.get('filter_number') ?? '';
        const data = [...numbers.values()].filter((n) => n.number.includes(filter));
        return reply(res, 200, { links: {}, data });
      }
      const match = /^\/api\/relay\/rest\/phone_numbers\/([^/]+)$/.exec(url.pathname);
      const existing = match ? numbers.get(decodeURIComponent(match[1] ?? '')) : undefined;
      if (!existing) return reply(res, 404, { errors: [{ code: 'not_found', message: 'Not Found' }] });
      if (req.method === 'GET') return reply(res, 200, existing);
      if (req.method === 'PUT') {
        Object.assign(existing, body as object);
        return reply(res, 200, existing);
      }
      return reply(res, 405, { errors: [{ message: 'Method Not Allowed' }] });
    })().catch((error: unknown) => reply(res, 400, { errors: [{ message: String(error) }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}${PREFIX}`,
    requests,
    numbers,
    failWith: (status, body) => {
      forced = { status, body };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
