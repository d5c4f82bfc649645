#!/usr/bin/env node
// Entry point of the `ceir` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from '../dist/apps/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
