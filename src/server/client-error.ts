import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgentError } from '../errors.js';

/**
 * Answers requests Node's HTTP parser rejects before Express sees them (headers over the size limit,
 * malformed request lines) with the framework's JSON error shape instead of Node's bodiless reply.
 */
export function answerParserErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const error =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new AgentError('headers_too_large', 'Request headers are too large')
        : new AgentError('bad_request', 'Malformed HTTP request');
    const { status } = error;
    const body = JSON.stringify(error.toBody());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
