#!/usr/bin/env node
// Runs the TypeScript CLI on Node 20 (which cannot strip types itself) through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
