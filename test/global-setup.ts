import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the bundled MCP servers (dist/todo-server.js) from the current sources before any test spawns them. */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync('npm', ['run', '--silent', 'build:servers'], { cwd: root, stdio: 'inherit' });
}
