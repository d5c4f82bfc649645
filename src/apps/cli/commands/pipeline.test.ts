/**
 * `ceir pipeline run --once`, `ceir pipeline status` and `ceir prune --dry-run` through the CLI:
 * complete files are taken, a file with no known name is refused with its report and a
 * notification, the day runs, and its state is visible.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../../core/ids/index.js';
import type { PipelineStatus } from '../../pipeline/pipeline-status.js';
import { captureIo, RELAXED_GATES_YAML } from '../../../testing/cli-test-kit.js';
import { main } from '../main.js';

const root = mkdtempSync(join(tmpdir(), 'ceir-pipeline-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

const imei = (n: number) => {
  const k = `35000000${String(n).padStart(6, '0')}`;
  return `${k}${luhnCheckDigit(k)}`;
};

test('a pass imports complete files, refuses a misnamed one, runs the day, and shows it all', async () => {
  const data = join(root, 'data');
  const inbox = join(data, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const config = join(root, 'ceir.yaml');
  writeFileSync(
    config,
    `country: { name: Testland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
  - { id: beta, name: Beta Telecom, mcc_mnc: ['00102'] }
${RELAXED_GATES_YAML}pipeline: { stable_seconds: 3600, expected_operators: [alpha] }
conditions:
  - { label: stolen, reason: Stolen, blocking: true, grace_period_days: 0, max_allowed_matching_ratio: 1, dimensions: [{ module: stolen_list }] }
`,
  );
  const rows = [1, 2].map(
    (n) =>
      `20260101,${imei(n)},00101${String(n).padStart(10, '0')},999${String(n).padStart(8, '0')},006`,
  );
  writeFileSync(
    join(inbox, 'alpha_20260101_20260101.csv'),
    `date,imei,imsi,msisdn,rat\n${rows.join('\n')}\n`,
  );
  writeFileSync(join(inbox, 'alpha_20260101_20260101.csv.done'), '');
  writeFileSync(
    join(inbox, 'stolen_list.csv'),
    `imei,reporting_date,status\n${imei(2)},20251201,\n`,
  );
  writeFileSync(join(inbox, 'stolen_list.csv.done'), '');
  writeFileSync(join(inbox, 'notes.txt'), 'hello\n');
  writeFileSync(join(inbox, 'notes.txt.done'), '');
  // Still being written: no marker, and just modified (stable_seconds is an hour).
  writeFileSync(join(inbox, 'alpha_20260102_20260102.csv'), 'date,imei,imsi,msisdn,rat\n');
  const g = ['--data', data, '--config', config];

  const io = captureIo();
  assert.equal(await main(['pipeline', 'run', '--once', ...g], io), 0, io.stderr.join('\n'));
  const out = io.stdout.join('\n');
  assert.match(out, /file stolen_list\.csv: imported/);
  assert.match(out, /file alpha_20260101_20260101\.csv: imported/);
  assert.match(out, /file notes\.txt: rejected/);
  assert.match(out, /day 2026-01-01: done/);
  assert.match(out, /still being written: alpha_20260102_20260102\.csv/);
  assert.ok(
    io.stderr.some((l) => /"job_id":"pass-/.test(l)),
    'JSON log lines with a job id',
  );

  assert.deepEqual(readdirSync(inbox).sort(), ['alpha_20260102_20260102.csv']);
  const rejected = readdirSync(join(data, 'pipeline', 'rejected')).sort();
  assert.deepEqual(
    rejected.map((n) => n.replace(/^\d+-/, '')),
    ['notes.txt', 'notes.txt.report.json'],
  );
  const outbox = readFileSync(join(data, 'outbox', 'notifications.jsonl'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(outbox.length, 1);
  assert.equal((JSON.parse(outbox[0]!) as { kind: string }).kind, 'file_rejected');
  assert.ok(existsSync(join(data, 'snapshots', 'current.ceirsnap')));

  const st = captureIo();
  assert.equal(await main(['pipeline', 'status', '--json', ...g], st), 0);
  const status = JSON.parse(st.stdout.join('\n')) as PipelineStatus;
  assert.equal(status.days.length, 1);
  assert.equal(status.days[0]!.state, 'done');
  assert.equal(status.days[0]!.trigger, 'complete');
  assert.deepEqual(
    status.days[0]!.steps.map((s) => [s.step, s.state, s.attempt]),
    [
      ['classify', 'done', 1],
      ['listgen', 'done', 1],
      ['snapshot', 'done', 1],
      ['prune', 'done', 1],
    ],
  );
  assert.deepEqual(status.inbox.incomplete, ['alpha_20260102_20260102.csv']);

  // A second pass has nothing to do: nothing is done twice.
  const again = captureIo();
  assert.equal(await main(['pipeline', 'run', '--once', ...g], again), 0);
  assert.doesNotMatch(again.stdout.join('\n'), /day 2026-01-01/);

  const pr = captureIo();
  assert.equal(await main(['prune', '--dry-run', '--json', ...g], pr), 0);
  const p = JSON.parse(pr.stdout.join('\n')) as { dryRun: boolean; tables: { table: string }[] };
  assert.equal(p.dryRun, true);
  assert.ok(p.tables.some((t) => t.table === 'triplets'));
});
