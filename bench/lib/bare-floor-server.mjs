// Reference floor for the gateway: a bare node:http server (no Express, auth, limits, validation or
// logging) that forwards each POST body's tool call to one todo server over the SDK's stdio client.
// Whatever the gateway costs above this is its own overhead. Plain JS: runs with `node` alone.
import http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

const client = new Client({ name: 'bench-floor', version: '1.0.0' }, { capabilities: {} });
await client.connect(new StdioClientTransport({ command: process.execPath, args: [process.argv[2]], stderr: 'ignore' }));

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const result = await client.request({ method: 'tools/call', params: { name: body.tool, arguments: body.arguments ?? {} } }, CallToolResultSchema);
    const text = JSON.stringify({ session_id: body.session_id, result: result.content.map((c) => c.text).join('\n'), is_error: result.isError === true });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stderr.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => void client.close().finally(() => process.exit(0)));
