// Express floor: the bare floor's forwarding (one todo server over the SDK's stdio client) behind a minimal
// Express app: one POST route with express.json(), answered with res.json(). What it costs above the bare
// node:http floor is Express's own share of the gateway's overhead; the rest is the gateway's features.
import express from 'express';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

const client = new Client({ name: 'bench-express-floor', version: '1.0.0' }, { capabilities: {} });
await client.connect(new StdioClientTransport({ command: process.execPath, args: [process.argv[2]], stderr: 'ignore' }));

const app = express();
app.set('etag', false);
app.post('/', express.json(), async (req, res) => {
  const result = await client.request({ method: 'tools/call', params: { name: req.body.tool, arguments: req.body.arguments ?? {} } }, CallToolResultSchema);
  res.json({ session_id: req.body.session_id, result: result.content.map((c) => c.text).join('\n'), is_error: result.isError === true });
});
const server = app.listen(0, '127.0.0.1', () => process.stderr.write(`listening on http://127.0.0.1:${server.address().port}\n`));
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => void client.close().finally(() => process.exit(0)));
