/** Where things are, for every test: the repo root, the MCP servers the tests start, fresh temporary folders. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (absolute, with a trailing slash). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bundled todo MCP server (built by test/global-setup.ts). */
export const TODO_SERVER = join(ROOT, 'dist/todo-server.js');
/** The same server's V8 startup snapshot (`node --snapshot-blob TODO_SNAPSHOT`), built next to it. */
export const TODO_SNAPSHOT = join(ROOT, 'dist/todo-server.blob');
/** The MCP reference test server (stdio by default; `streamableHttp` / `sse` as its first argument). */
export const EVERYTHING_SERVER = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
/** The MCP knowledge-graph memory server (`MEMORY_FILE_PATH` picks its file). */
export const MEMORY_SERVER = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');

/** A fresh folder under the system temp dir, named `<prefix>XXXXXX`. */
export const tempDir = (prefix = 'gw-test-'): string => mkdtempSync(join(tmpdir(), prefix));
