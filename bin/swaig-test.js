#!/usr/bin/env -S node --
// Registers tsx so the TypeScript entry, and TypeScript agent files, load in this process without a build step.
// The "--" in the shebang: Node 20 scans the whole command line for `--env-file`, even after the script name, and
// aborts (exit 9, "node: FILE: not found") before any of our code runs; a "--" ahead of the script stops that scan,
// so swaig-test's own --env-file reaches swaig-test. (`node bin/swaig-test.js --env-file …` still hits Node's scan:
// run the bin itself, `npx swaig-test`, or `node -- bin/swaig-test.js`.)
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/swaig-test/main.ts');
