#!/usr/bin/env node
// Registers tsx so the TypeScript entry, and TypeScript agent files, load in this process without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/swaig-test/main.ts');
