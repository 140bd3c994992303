#!/usr/bin/env -S node --max-semi-space-size=2
// Runs the gateway from its esbuild bundle (dist/gateway/mcp-gateway.js, built by `npm run build:servers`) on plain node:
// no TypeScript loader in production. Without a bundle, or with one older than the sources, it registers tsx
// and runs gateway/main.ts instead.
// --max-semi-space-size=2 (MiB; V8's default grows to 16): a young generation of 2 x 2 MiB instead of up to
// 2 x 16 MiB takes ~25 MiB off the gateway's RSS with 50 sessions at no measurable cost per call (1 MiB cost
// ~0.03 ms per call). It applies when the file is executed (npx mcp-gateway, ./bin/mcp-gateway.js); with
// `node bin/mcp-gateway.js` pass the flag to node or set it in NODE_OPTIONS (the Dockerfile does).
import { readdirSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The old generation may grow by 20% past what survived the last full GC (V8 picks up to 4x for small heaps): the
// garbage a burst of requests leaves is collected before it is held for the memory reducer's turn (~10 s later).
// Peak RSS through the bench's request sequence: ~108 -> ~90 MiB. Set here, not in the shebang, so that
// `node bin/mcp-gateway.js` (the Dockerfile's CMD) gets it too; V8 reads it whenever it sizes the heap.
setFlagsFromString('--heap-growing-percent=20');

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist/gateway/mcp-gateway.js');

/** Newest modification time (ms) of the .ts files under `dir`, recursively; 0 without the folder. */
function newestTs(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The bundle's mtime, or undefined when there is none. */
function bundleTime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return undefined;
  }
}

// A bundle older than any gateway source would silently run yesterday's code while someone edits gateway/
// (the bundle is only rebuilt by `npm run build:servers`); then the sources run through tsx. A stat per file
// costs about a millisecond, once per start.
const built = bundleTime();
let entry;
if (built !== undefined && built >= newestTs(join(root, 'gateway'))) {
  entry = await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../gateway/main.ts');
}

// The one place that exits. After the first SIGTERM/SIGINT the gateway closes its sessions; a second means "now".
const code = await entry.run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  waitForStop: async () => {
    const signal = await entry.firstSignal();
    const force = () => process.exit(1);
    process.once('SIGTERM', force);
    process.once('SIGINT', force);
    return signal;
  },
});
process.exit(code);
