#!/usr/bin/env node
// Container health check: GET /health on 127.0.0.1:$MCP_PORT (default 8080). Tries plain HTTP first, then HTTPS
// (self-signed certificates accepted: this only asks whether the local process answers). Exit 0 healthy, 1 not.
import http from 'node:http';
import https from 'node:https';

const port = Number(process.env.MCP_PORT || 8080);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 3000);

function probe(client, extra) {
  return new Promise((resolve, reject) => {
    const req = client.get({ host: '127.0.0.1', port, path: '/health', timeout: timeoutMs, ...extra }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

let status;
try {
  status = await probe(http, {});
} catch {
  // A TLS listener resets a plain-HTTP request: ask again over HTTPS.
  status = await probe(https, { rejectUnauthorized: false }).catch((error) => {
    process.stderr.write(`healthcheck: ${error.message}\n`);
    return 0;
  });
}
if (status !== 200) process.stderr.write(`healthcheck: /health answered ${status || 'nothing'}\n`);
process.exit(status === 200 ? 0 : 1);
