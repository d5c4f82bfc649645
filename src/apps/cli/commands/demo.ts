/**
 * The main job (`npm start`): on first run generates a demo dataset, imports every file of it
 * (TAC database and lists first, then operator dumps) and prints what the store now holds.
 * Later runs find the files already imported (same SHA-256) and only report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetFiles } from '../../generate/dataset-files.js';
import type { CliContext } from '../cli-context.js';
import { generate } from './generate.js';
import { importFiles } from './import.js';
import { runClassify } from './classify.js';
import { runListgen } from './listgen.js';
import { formatCount } from '../progress.js';
import { demoLogins } from './demo-users.js';
import { webUiHint } from '../../server/web-serve.js';

export async function runDemo(ctx: CliContext, rows?: string): Promise<number> {
  const dir = join(ctx.dataDir, 'demo-input');
  if (!existsSync(join(dir, 'ground_truth.json'))) {
    ctx.io.err(`First run: generating a demo dataset in ${dir}`);
    await generate(ctx, { out: dir, rows: rows ?? '200000', months: '2', seed: '42' });
  }
  let exit = 0;
  let imported = 0;
  for (const { source, file } of datasetFiles(dir)) {
    const r = await importFiles(ctx, { source, files: [file], brief: true });
    if (r.exit !== 0) exit = r.exit;
    imported += r.imported;
  }
  const store = await ctx.openStore();
  // New data (or none classified yet): classify and generate the operators' lists.
  if (exit === 0 && (imported > 0 || !(await store.lastClassificationRun()))) {
    ctx.io.out('');
    await runClassify(ctx, {});
    ctx.io.out('');
    await runListgen(ctx, {});
  }
  const c = await store.counts();
  const o = await store.overview(5);
  ctx.print({ counts: c, overview: o }, () => [
    '',
    `Store ${ctx.dataDir}: ${formatCount(c.imeis)} IMEIs seen on ${formatCount(c.triplets)} monthly triplets, ${c.imports} imports`,
    ...o.byOperator.map(
      (b) =>
        `  ${b.operator.padEnd(14)} ${formatCount(b.imeis)} IMEIs, ${formatCount(b.triplets)} triplets`,
    ),
    'Lists:',
    ...Object.entries(c.lists).map(([k, v]) => `  ${k.padEnd(14)} ${formatCount(v)} entries`),
    'What the network data shows:',
    `  ${formatCount(o.multiImsiImeis)} IMEIs used with ${o.cloneImsis} or more IMSIs (possible clones)`,
    `  ${formatCount(o.stolenSeen)} IMEIs on the stolen list still in use`,
    `  ${formatCount(o.unknownTacImeis)} IMEIs whose TAC is not in the GSMA TAC database`,
    `  ${formatCount(o.malformedImeis)} malformed IMEIs`,
    `Try: npx ceir imei <imei>   (ground truth of planted cases: ${join(dir, 'ground_truth.json')})`,
    '     npx ceir --help         (import, classify, listgen, report, verify, keys, serve, generate, db)',
  ]);
  if (!ctx.json) for (const l of await demoLogins(ctx)) ctx.io.out(l);
  if (!ctx.json) for (const l of webUiHint(ctx)) ctx.io.out(l);
  return exit;
}
