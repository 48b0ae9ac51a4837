#!/usr/bin/env node
// The `layerlab` command. It runs the TypeScript sources through tsx so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
