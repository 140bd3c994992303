/**
 * The gateway's HTTP or HTTPS listener. HTTPS when the config names a certificate (`server.cert_file` /
 * `key_file`, or `certs/server.pem` next to the config file); then every answer carries HSTS, which a plain
 * HTTP listener never sends. Requests Node rejects before Express sees them (oversized headers, malformed
 * request lines) still get the gateway's JSON error shape.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { GatewayConfig } from '../config/schema.js';
import { ConfigError, GatewayError } from '../errors.js';

/** HSTS value sent on HTTPS answers: one year, subdomains included. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** Reads the PEM files; a missing or unreadable file is a ConfigError naming the field. */
function readPem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`, field);
  }
}

function rejectEarly(err: NodeJS.ErrnoException & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const error =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new GatewayError('headers_too_large', 'Request headers are too large')
      : new GatewayError('bad_request', 'Malformed HTTP request');
  const { status } = error;
  const body = JSON.stringify(error.toBody());
  // An answer to HEAD has no body, even here.
  const head = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
}

/** A server for `app`: HTTPS with HSTS when a certificate is configured, else plain HTTP. */
export function createListener(app: RequestListener, server: GatewayConfig['server']): { server: Server; scheme: 'http' | 'https' } {
  let out: Server;
  let scheme: 'http' | 'https' = 'http';
  if (server.cert_file !== undefined) {
    const cert = readPem(server.cert_file, 'server.cert_file');
    const key = readPem(server.key_file ?? server.cert_file, 'server.key_file');
    try {
      out = createHttpsServer({ cert, key }, (req, res) => {
        res.setHeader('Strict-Transport-Security', HSTS);
        app(req, res);
      });
    } catch (err) {
      throw new ConfigError(`not a usable certificate/key pair: ${(err as Error).message}`, 'server.cert_file');
    }
    scheme = 'https';
  } else {
    out = createHttpServer(app);
  }
  out.on('clientError', rejectEarly);
  return { server: out, scheme };
}
