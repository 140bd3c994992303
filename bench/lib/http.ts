/** HTTP clients for the bench: a keep-alive undici pool, and one fresh connection per request. */
import { Client, Pool } from 'undici';

/** One request's answer. */
export interface Answer {
  status: number;
  body: string;
}

type Method = 'GET' | 'POST' | 'DELETE';

/** A keep-alive client for one origin with fixed headers. */
export class HttpClient {
  readonly pool: Pool;

  constructor(
    readonly origin: string,
    private readonly headers: Record<string, string>,
    connections = 1,
  ) {
    this.pool = new Pool(origin, { connections, keepAliveTimeout: 60_000, pipelining: 1 });
  }

  async request(method: Method, path: string, body?: unknown): Promise<Answer> {
    const res = await this.pool.request({
      method,
      path,
      headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: await res.body.text() };
  }

  /** The same request over a brand-new TCP connection, closed afterwards. */
  async fresh(method: Method, path: string, body?: unknown): Promise<Answer> {
    const client = new Client(this.origin, { pipelining: 0 });
    try {
      const res = await client.request({
        method,
        path,
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: await res.body.text() };
    } finally {
      await client.close();
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Throws unless the answer has `status`. */
export function expectStatus(answer: Answer, status: number, what: string): Answer {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.body.slice(0, 300)}`);
  return answer;
}
