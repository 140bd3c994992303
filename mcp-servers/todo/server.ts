/**
 * The todo MCP server: stdio, one todo list per process. Same tools and result strings as the
 * reference server; failures are JSON-RPC errors (-32603), never isError results.
 */
import { serveStdio } from './stdio-main.js';
import { warmUp } from './warm-up.js';

// Before stdin is read, so that the first real call does not pay for compiling the call path.
void warmUp().then(serveStdio);
