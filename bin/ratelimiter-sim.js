#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the project ships no build step.
import { register } from 'tsx/esm/api';

register();
await import('../sim/cli.ts');
