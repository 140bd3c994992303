/**
 * Entry of the todo server's V8 startup snapshot (`node --snapshot-blob dist/todo-server.blob --build-snapshot`,
 * made by `npm run build:servers`). Everything is loaded and the warm-up has compiled the call path when the
 * snapshot is taken; a process started from the blob only opens stdio.
 */
import { startupSnapshot } from 'node:v8';
import { serveStdio } from './stdio-main.js';
import { warmUp } from './warm-up.js';

void warmUp();
startupSnapshot.setDeserializeMainFunction(() => void serveStdio());
