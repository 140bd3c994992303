/**
 * Sends fuzz requests over real HTTP on loopback with bounded concurrency and checks every answer: no
 * status >= 500, and every error answer is a JSON object with string `error` and `code`.
 */
import { Agent, request } from 'node:http';

/** One request to send. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Outcome of a fuzz run. */
export interface FuzzReport {
  sent: number;
  /** Requests the HTTP client itself refused to build (invalid header characters); not counted as sent. */
  unsendable: number;
  statuses: Record<number, number>;
  /** Human-readable problems: 5xx, non-JSON errors, bodies without error/code, dropped connections. */
  problems: string[];
}

function describe(req: FuzzRequest): string {
  const body = req.body === undefined ? '' : ` body=${JSON.stringify(String(req.body).slice(0, 120))}`;
  return `${req.method} ${req.path.slice(0, 120)}${body}`;
}

function check(req: FuzzRequest, status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `${status} for ${describe(req)}: ${text.slice(0, 200)}`;
  if (status < 400 || req.method === 'HEAD') return undefined;
  if (!/^application\/json/.test(contentType)) return `${status} non-JSON (${contentType}) for ${describe(req)}: ${text.slice(0, 100)}`;
  try {
    const body = JSON.parse(text) as { error?: unknown; code?: unknown };
    if (typeof body.error !== 'string' || typeof body.code !== 'string') return `${status} without error/code for ${describe(req)}: ${text.slice(0, 200)}`;
  } catch {
    return `${status} invalid JSON for ${describe(req)}: ${text.slice(0, 100)}`;
  }
  return undefined;
}

function sendOne(base: URL, agent: Agent, req: FuzzRequest): Promise<{ status: number; contentType: string; text: string } | 'unsendable'> {
  const headers = { ...req.headers };
  // Node's client frames a DELETE/OPTIONS/TRACE/GET body neither by length nor chunked unless told to, so the
  // body would be read as the next request; give the length explicitly.
  if (req.body !== undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    let outgoing;
    try {
      outgoing = request({ host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
    } catch {
      resolve('unsendable');
      return;
    }
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Sends `count` requests made by `make(i)` to `baseUrl`, at most `concurrency` at a time. */
export async function fuzz(baseUrl: string, count: number, concurrency: number, make: (i: number) => FuzzRequest): Promise<FuzzReport> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const report: FuzzReport = { sent: 0, unsendable: 0, statuses: {}, problems: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const req = make(next++);
      try {
        const res = await sendOne(base, agent, req);
        if (res === 'unsendable') {
          report.unsendable++;
          continue;
        }
        report.sent++;
        report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
        const problem = check(req, res.status, res.contentType, res.text);
        if (problem) report.problems.push(problem);
      } catch (err) {
        report.sent++;
        report.problems.push(`no answer (${(err as Error).message}) for ${describe(req)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return report;
}
