/**
 * Runs one `ceir` command in this process and prints one JSON line with its wall time and the
 * process's peak RSS: `node dist/apps/bench/measured-cli.js <ceir args...>` (the benchmarks run
 * each step in a fresh process so every step's memory is its own).
 */
import { main } from '../cli/main.js';

const out: string[] = [];
const t0 = performance.now();
const code = await main(process.argv.slice(2), {
  out: (l) => out.push(l),
  err: (l) => process.stderr.write(`${l}\n`),
  interactive: false,
});
const ms = performance.now() - t0;
process.stdout.write(
  `${JSON.stringify({ code, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, output: out.join('\n') })}\n`,
);
process.exitCode = code;
