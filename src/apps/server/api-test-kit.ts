/**
 * A small national store for the people-API tests: a temporary data directory with a config,
 * a TAC database, one operator dump per operator (a victim's phone, a clone cluster, an ordinary
 * phone), classification and lists; the API built on it in process (no socket), with one user per
 * staff role and a store kept open for the test (jobs still run one at a time).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPeopleApi,
  addUser,
  resetApiKey,
  type Api,
  type ApiResponse,
} from '../../api/index.js';
import { OpenApiValidator } from '../../api/openapi-validator.js';
import { luhnCheckDigit } from '../../core/ids/index.js';
import type { StaffRole } from '../../core/ports/people-store.js';
import type { Store } from '../../core/ports/store.js';
import { DuckDbPeopleStore } from '../../store/duckdb/people-store.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import {
  RELAXED_GATES_YAML,
  STOLEN_CONDITION_YAML,
  TESTLAND_YAML,
} from '../../testing/cli-test-kit.js';
import { CliContext, type CliIo } from '../cli/cli-context.js';
import { main } from '../cli/main.js';
import { peopleApiDeps } from './api-wiring.js';
import { SmsOutbox } from './sms-outbox.js';

export const TAC = '35000000';
export const key = (snr: number): string => `${TAC}${String(snr).padStart(6, '0')}`;
export const full = (k: string): string => `${k}${luhnCheckDigit(k)}`;
/** The victim's phone (one IMSI), the clone (3 IMSIs: pending block), an ordinary phone. */
export const VICTIM = key(1);
export const CLONE = key(2);
export const ORDINARY = key(3);
export const VICTIM_MSISDN = '99900000001';
export const VICTIM_IMSI = '001010000000001';

const GSMA_HEADER =
  'TAC|Marketing Name|Internal Model Name|Manufacturer|Bands|Allocation Date|Country Code|Fixed Code|Manufacturer Code|Radio Interface|Brand Name|Model Name|Operating System|NFC|Bluetooth|WLAN|Device Type';

export const CONFIG = (
  extra = '',
) => `${TESTLAND_YAML}  - { id: beta, name: Beta Telecom, mcc_mnc: ['00102'] }
${RELAXED_GATES_YAML}conditions:
${STOLEN_CONDITION_YAML}  - label: duplicate
    reason: Duplicated IMEI
    blocking: true
    grace_period_days: 30
    sticky: true
    max_allowed_matching_ratio: 1
    dimensions: [{ module: duplicate_threshold, parameters: { threshold: 3, period_days: 30 } }]
api:
  rate_limit: { per_second: 1000, burst: 1000 }
${extra}`;

export const PASSWORD = 'correct horse battery';

export interface Staff {
  readonly id: string;
  readonly username: string;
  readonly apiKey: string;
}

export class ApiEnv {
  readonly root = mkdtempSync(join(tmpdir(), 'ceir-api-'));
  readonly data = join(this.root, 'data');
  readonly configPath = join(this.root, 'ceir.yaml');
  readonly sms: SmsOutbox;
  api!: Api;
  /** Every response (and accepted JSON request) is checked against /openapi.json. */
  validator!: OpenApiValidator;
  checked = 0;
  ctx!: CliContext;
  readonly staff = new Map<StaffRole, Staff>();
  private queue: Promise<unknown> = Promise.resolve();
  private files = 0;
  now = (): Date => new Date();
  loadChecks!: () => Promise<void>;

  constructor(extraConfig = '') {
    writeFileSync(this.configPath, CONFIG(extraConfig));
    this.sms = new SmsOutbox(join(this.root, 'sms.jsonl'));
  }

  async ceir(args: string[]): Promise<string> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { interactive: false, out: (l) => out.push(l), err: (l) => err.push(l) };
    const code = await main([...args, '--data', this.data, '--config', this.configPath], io);
    assert.equal(code, 0, `ceir ${args.join(' ')}: ${err.join('\n')}\n${out.join('\n')}`);
    return out.join('\n');
  }

  async dump(op: string, rows: string[][]): Promise<void> {
    const file = join(this.root, `${op}_20260101_20260131.csv`);
    writeFileSync(file, ['date,imei,imsi,msisdn,rat', ...rows.map((r) => r.join(','))].join('\n'));
    await this.ceir(['import', 'operator', file]);
  }

  file(name: string, text: string): string {
    const f = join(this.root, `${this.files++}-${name}`);
    writeFileSync(f, text);
    return f;
  }

  /** Data, classification, lists, the API and one user (with an API key) per staff role. */
  async setUp(): Promise<this> {
    await this.ceir([
      'import',
      'gsma_tac',
      this.file(
        'tac.txt',
        `${GSMA_HEADER}\n${TAC}|Demo Phone X|DPX-1|Demo Corp|GSM,LTE|01-Jan-2020|||||Demo|Phone X|Android|Y|Y|Y|Smartphone\n`,
      ),
    ]);
    const imsi = (mnc: string, n: number) => `001${mnc}${String(n).padStart(10, '0')}`;
    await this.dump('alpha', [
      ['20260105', full(VICTIM), VICTIM_IMSI, VICTIM_MSISDN, '006'],
      ['20260131', full(VICTIM), VICTIM_IMSI, VICTIM_MSISDN, '006'],
      ['20260106', full(CLONE), imsi('01', 2), '99900000002', '006'],
      ['20260107', full(CLONE), imsi('01', 3), '99900000003', '006'],
      ['20260108', full(ORDINARY), imsi('01', 4), '99900000004', '006'],
    ]);
    await this.dump('beta', [['20260109', full(CLONE), imsi('02', 5), '99900000005', '006']]);
    await this.classifyAndList();
    const ctx = CliContext.create(
      { data: this.data, config: this.configPath },
      {
        interactive: false,
        out: () => {},
        err: () => {},
      },
    );
    if ('kind' in ctx) throw new Error(ctx.message);
    this.ctx = ctx;
    const withStore = <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
      const run = this.queue.then(async () => fn(await ctx.openStore()));
      this.queue = run.catch(() => undefined);
      return run;
    };
    const { deps, checks } = peopleApiDeps({
      ctx,
      withStore,
      sms: this.sms,
      now: () => this.now(),
    });
    this.loadChecks = () => checks.loadFromStore();
    await checks.loadFromStore();
    this.api = createPeopleApi(deps);
    this.validator = new OpenApiValidator(this.api.openapi);
    const people = async <T>(fn: (p: DuckDbPeopleStore) => Promise<T>) =>
      withStore((s) => fn(new DuckDbPeopleStore((s as DuckDbStore).db)));
    for (const role of ['police', 'importer', 'operator', 'regulator', 'admin'] as const) {
      const username = `${role}1`;
      const u = await people((p) =>
        addUser(
          p,
          { username, role, password: PASSWORD, operator: role === 'operator' ? 'alpha' : null },
          ['alpha', 'beta'],
          new Date(),
        ),
      );
      const apiKey = await people((p) => resetApiKey(p, u.id, new Date()));
      this.staff.set(role, { id: u.id, username, apiKey });
    }
    return this;
  }

  async classifyAndList(): Promise<void> {
    await this.ctx?.close();
    await this.ceir(['classify', '--as-of', '2026-01-31']);
    await this.ceir(['listgen', '--as-of', '2026-01-31']);
  }

  /** A request in process. `auth`: a bearer token (`k.`/`s.`) or `{cookie, csrf}`. */
  async call(
    method: string,
    url: string,
    o: {
      auth?: string | { cookie: string; csrf?: string };
      json?: unknown;
      text?: string;
      bytes?: Uint8Array;
      ip?: string;
    } = {},
    // Tests read response bodies freely; the OpenAPI document checks their shape.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<ApiResponse & { json: any }> {
    const u = new URL(url, 'http://api.test');
    const headers: Record<string, string> = {};
    if (typeof o.auth === 'string') headers.authorization = `Bearer ${o.auth}`;
    else if (o.auth) {
      headers.cookie = o.auth.cookie;
      if (o.auth.csrf) headers['x-csrf-token'] = o.auth.csrf;
    }
    const body =
      o.json !== undefined
        ? Buffer.from(JSON.stringify(o.json))
        : o.text !== undefined
          ? Buffer.from(o.text)
          : (o.bytes ?? new Uint8Array(0));
    const r = await this.api.handle({
      method,
      path: u.pathname,
      query: u.searchParams,
      headers,
      body,
      ip: o.ip ?? '127.0.0.1',
    });
    let parsed: unknown;
    if (!r.raw) parsed = JSON.parse(JSON.stringify(r.body)) as unknown;
    else if (typeof r.body === 'string') parsed = JSON.parse(r.body);
    if (u.pathname !== '/openapi.json') {
      const ct = String(r.headers['content-type'] ?? 'application/json');
      const v = this.validator.response(method, u.pathname, r.status, ct, parsed);
      assert.ok(
        v.ok,
        `response of ${method} ${url} (${r.status}) breaks the OpenAPI document: ${v.errors.join('; ')}\n${JSON.stringify(parsed)}`,
      );
      if (o.json !== undefined && r.status < 400) {
        const q = this.validator.request(method, u.pathname, o.json);
        assert.ok(
          q.ok,
          `request of ${method} ${url} breaks the OpenAPI document: ${q.errors.join('; ')}`,
        );
      }
      this.checked++;
    }
    return { ...r, json: parsed };
  }

  key(role: StaffRole): string {
    return this.staff.get(role)!.apiKey;
  }

  /** A subscriber session through the OTP flow (the code read from the SMS outbox). */
  async subscriber(msisdn: string): Promise<string> {
    const r = await this.call('POST', '/api/v1/auth/otp', { json: { msisdn } });
    assert.equal(r.status, 202, JSON.stringify(r.json));
    const code = this.lastCode(msisdn);
    const v = await this.call('POST', '/api/v1/auth/otp/verify', {
      json: { challenge_id: r.json.challenge_id, code },
    });
    assert.equal(v.status, 200, JSON.stringify(v.json));
    return v.json.token as string;
  }

  lastCode(msisdn: string): string {
    const m = this.sms
      .messages()
      .filter((x) => x.msisdn === msisdn)
      .at(-1);
    const code = m ? /code is (\d+)/.exec(m.text)?.[1] : undefined;
    assert.ok(code, `no code sent to ${msisdn}`);
    return code;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.ctx?.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}
