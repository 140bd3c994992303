/** Raw HTTP/1.1 over a socket, for requests no HTTP client would build (broken request lines, smuggling). */
import { connect } from 'node:net';

/** Writes `raw`, reads until the server closes, and returns status, content type and body. */
export function rawRequest(
  port: number,
  raw: string | Buffer,
  timeoutMs = 10_000,
): Promise<{ status: number; contentType: string; body: string; raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.slice(0, text.indexOf('\r\n\r\n'));
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head)?.[1] ?? '';
      resolve({ status, contentType, body: text.slice(text.indexOf('\r\n\r\n') + 4), raw: text.slice(0, 300) });
    });
    socket.end(raw);
  });
}

/** Requests that break HTTP itself; each ends the connection. */
export const RAW_REQUESTS: string[] = [
  'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'GET /health HTTP/1.1\r\nNoColonHeader\r\n\r\n',
  'GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n',
  `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  `GET /health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: v`).join('\r\n')}\r\n\r\n`,
  'POST /services/tiny/call HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\nhello',
  'POST /services/tiny/call HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /services/tiny/call HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: x\r\n folded: continuation\r\n\r\n',
  `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /services/%ff%fe/tools HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /services/\u00e9/tools HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
];
