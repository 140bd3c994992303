// Memory floor of the gateway's named dependencies: a process that loads only the packages the gateway cannot
// run without (express with helmet and express-rate-limit, zod, the MCP SDK's client and stdio transport, pino,
// prom-client, commander) and listens with an empty Express app. Its RSS is what any gateway built on these
// packages costs before its own code, state or first request.
import express from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Command } from 'commander';

const keep = [helmet, rateLimit, z, Client, StdioClientTransport, pino, Registry, Command];
const app = express();
app.use(express.json());
const server = app.listen(0, '127.0.0.1', () => process.stderr.write(`listening on http://127.0.0.1:${server.address().port} (${keep.length} packages)\n`));
process.on('SIGTERM', () => process.exit(0));
