#!/usr/bin/env node
// Entry point of the `ceir` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from '../dist/apps/cli/main.js';

// Output piped into a program that stops reading (`| head`) ends quietly.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
