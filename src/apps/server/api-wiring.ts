/**
 * Composition root of the people-facing API (issue #5): the DuckDB adapters of the people store,
 * audit log and queries, opened per job through `withStore` (DuckDB has one writer: the store is
 * opened only for the job, as `ceir serve` does); list changes through the list import path
 * (`importList`, a delta file); dump uploads through `importOperatorDump` with the config's gates;
 * the operators' signed list files from listgen's output folder; classification and list
 * generation as the CLI runs them; the public check's memory.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ApiDeps } from '../../api/index.js';
import { ceirError, CeirFailure } from '../../core/errors.js';
import type {
  DumpUpload,
  ListSubmission,
  OperatorListDelivery,
  PeopleServices,
} from '../../core/ports/people-services.js';
import type { PeopleQueries } from '../../core/ports/people-queries.js';
import type { SmsGateway } from '../../core/ports/sms-gateway.js';
import type { Store } from '../../core/ports/store.js';
import { parseConditions } from '../../core/rules/index.js';
import { importList } from '../../ingest/lists/import-list.js';
import { importOperatorDump } from '../../ingest/operator-dump/import-operator-dump.js';
import { parseYmd } from '../../ingest/operator-dump/dump-name.js';
import { listKeyPaths } from '../../listgen/index.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { DuckDbAuditLog } from '../../store/duckdb/people-audit.js';
import { DuckDbPeopleQueries } from '../../store/duckdb/people-queries.js';
import { DuckDbPeopleStore } from '../../store/duckdb/people-store.js';
import type { CliContext } from '../cli/cli-context.js';
import { classifyNow } from '../cli/commands/classify.js';
import { listgenNow } from '../cli/commands/listgen.js';
import { reportJson } from '../report/report-json.js';
import { PublicCheckHolder } from './api-check-holder.js';
import { rulesView, saveRules } from './api-rule-save.js';
import { SmsOutbox } from './sms-outbox.js';

export type WithStore = <T>(fn: (store: Store) => Promise<T>) => Promise<T>;

export interface PeopleApiWiring {
  readonly ctx: CliContext;
  readonly withStore: WithStore;
  /** After classification and list generation (serve: rebuild the snapshot, every worker reloads). */
  readonly reload?: () => Promise<unknown>;
  readonly sms?: SmsGateway;
  readonly now?: () => Date;
}

function duck(s: Store): DuckDbStore {
  if (!(s instanceof DuckDbStore))
    throw new CeirFailure(ceirError('CEIR_ERR_CONFIG', 'The people API runs on the DuckDB store'));
  return s;
}

/** The default SMS outbox of a data directory. */
export function smsOutboxPath(ctx: CliContext): string {
  return ctx.config.api.sms_outbox ?? join(ctx.dataDir, 'outbox', 'sms.jsonl');
}

/** The newest listgen output folder under `<data>/lists` (highest run with a manifest). */
function latestListDir(dataDir: string): { dir: string; run: number } | undefined {
  const root = join(dataDir, 'lists');
  if (!existsSync(root)) return undefined;
  let best: { dir: string; run: number } | undefined;
  for (const name of readdirSync(root)) {
    const m = /-run(\d+)$/.exec(name);
    const dir = join(root, name);
    if (!m || !existsSync(join(dir, 'manifest.json')) || !existsSync(join(dir, 'manifest.sig')))
      continue;
    if (!best || Number(m[1]) > best.run) best = { dir, run: Number(m[1]) };
  }
  return best;
}

function parsePeriod(p: string | undefined): { start: number; end: number } | undefined {
  if (!p) return undefined;
  const [a, b] = p.split(':');
  const start = a ? parseYmd(a) : undefined;
  const end = b ? parseYmd(b) : undefined;
  if (start === undefined || end === undefined || end < start)
    throw new CeirFailure(
      ceirError('CEIR_ERR_USAGE', `period must be YYYYMMDD:YYYYMMDD, got "${p}"`),
    );
  return { start, end };
}

export function peopleServices(w: PeopleApiWiring, checks: PublicCheckHolder): PeopleServices {
  const { ctx, withStore } = w;
  const queries = <T>(fn: (q: PeopleQueries) => Promise<T>): Promise<T> =>
    withStore((s) => fn(new DuckDbPeopleQueries(duck(s).db)));
  const tmp = join(ctx.dataDir, 'tmp', 'api');
  const delivery = (operator: string): OperatorListDelivery | undefined => {
    const latest = latestListDir(ctx.dataDir);
    if (!latest) return undefined;
    const manifest = readFileSync(join(latest.dir, 'manifest.json'), 'utf8');
    const m = JSON.parse(manifest) as {
      run: number;
      as_of: string;
      files: OperatorListDelivery['files'];
    };
    const pub = listKeyPaths(ctx.dataDir).publicKey;
    return {
      run: m.run,
      asOf: m.as_of,
      manifest,
      signature: readFileSync(join(latest.dir, 'manifest.sig')).toString('base64'),
      publicKeyPem: existsSync(pub) ? readFileSync(pub, 'utf8') : '',
      files: m.files.filter((f) => f.operator === null || f.operator === operator),
    };
  };
  return {
    async submitListDelta(list, csv): Promise<ListSubmission> {
      mkdirSync(tmp, { recursive: true });
      const file = join(tmp, `${list}-delta-${randomUUID()}.csv`);
      writeFileSync(file, csv);
      try {
        const o = await withStore((s) =>
          importList(s, {
            list,
            file,
            mode: 'delta',
            force: false,
            shrinkMinRatio: ctx.config.list_shrink_min_ratio,
            spoolDir: ctx.spoolDir,
          }),
        );
        if (o.kind === 'imported')
          return { kind: 'imported', importId: o.record.id, counts: o.counts };
        if (o.kind === 'duplicate') return { kind: 'duplicate', importId: o.previous.id };
        return { kind: 'rejected', error: o.error };
      } finally {
        rmSync(file, { force: true });
      }
    },
    trace: (imei) => queries((q) => q.trace(imei)),
    seenOnNetwork: (imeis) => queries((q) => q.seenOnNetwork(imeis)),
    onList: (list, key) => queries((q) => q.onList(list, key)),
    dashboard: () => queries((q) => q.dashboard()),
    report: (month) =>
      withStore(
        async (s) => JSON.parse(reportJson(await s.monthReport(month, ctx.config))) as unknown,
      ),
    async ruleDryRun(raw) {
      const parsed = parseConditions([raw]);
      if (parsed.kind !== 'ok') return ceirError('CEIR_ERR_USAGE', parsed.message);
      return queries((q) => q.ruleDryRun(parsed.value[0]!, ctx.config));
    },
    operatorLists: async (operator) => delivery(operator),
    async operatorListFile(operator, name) {
      const d = delivery(operator);
      const latest = latestListDir(ctx.dataDir);
      if (!d || !latest || !d.files.some((f) => f.name === name)) return undefined;
      return readFileSync(join(latest.dir, basename(name)));
    },
    async uploadDump(operator, content, fileName, period): Promise<DumpUpload> {
      mkdirSync(tmp, { recursive: true });
      const p = parsePeriod(period);
      const file = join(tmp, `${randomUUID()}-${basename(fileName)}`);
      writeFileSync(file, content);
      try {
        const o = await withStore((s) =>
          importOperatorDump(s, {
            file,
            operator,
            ...(p ? { period: p } : {}),
            config: ctx.config,
            gates: ctx.config.gates,
            spoolDir: ctx.spoolDir,
          }),
        );
        if (o.kind === 'imported') return { kind: 'imported', record: o.record };
        if (o.kind === 'duplicate') return { kind: 'duplicate', previous: o.previous };
        return { kind: 'rejected', error: o.error, gates: o.gates, rows: o.rows };
      } finally {
        rmSync(file, { force: true });
      }
    },
    imports: (operator, limit) =>
      withStore(async (s) =>
        (await s.listImports(operator ? 10_000 : limit))
          .filter((r) => operator === undefined || r.operator === operator)
          .slice(0, limit),
      ),
    rules: () => withStore((s) => rulesView(ctx, s)),
    saveRules: (req) => withStore((s) => saveRules(ctx, s, req, (w.now ?? (() => new Date()))())),
    async classifyAndPublish() {
      try {
        const r = await withStore(async () => {
          const c = await classifyNow(ctx, {});
          const l = await listgenNow(ctx, {});
          return { classificationRun: c.id, listRun: l.run.id };
        });
        if (w.reload) await w.reload();
        else await checks.loadFromStore();
        return r;
      } catch (e) {
        if (e instanceof CeirFailure) return e.error;
        throw e;
      }
    },
  };
}

/** The API's dependencies; `checks` holds the public check's memory (load it before serving). */
export function peopleApiDeps(w: PeopleApiWiring): { deps: ApiDeps; checks: PublicCheckHolder } {
  const { ctx, withStore } = w;
  const checks = new PublicCheckHolder(withStore, ctx.config.server.policy);
  const a = ctx.config.api;
  const deps: ApiDeps = {
    settings: {
      rateLimit: { perSecond: a.rate_limit.per_second, burst: a.rate_limit.burst },
      otp: {
        digits: a.otp.digits,
        ttlSeconds: a.otp.ttl_seconds,
        maxAttempts: a.otp.max_attempts,
        perMsisdnPerHour: a.otp.per_msisdn_per_hour,
      },
      sessionTtlSeconds: a.session_ttl_minutes * 60,
      secureCookies: a.secure_cookies,
      operators: ctx.config.operators.map((o) => o.id),
    },
    store: (fn) =>
      withStore((s) => {
        const db = duck(s).db;
        return fn(new DuckDbPeopleStore(db), new DuckDbAuditLog(db));
      }),
    services: peopleServices(w, checks),
    check: () => checks.current(),
    sms: w.sms ?? new SmsOutbox(smsOutboxPath(ctx)),
    now: w.now ?? (() => new Date()),
  };
  return { deps, checks };
}
