import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair, type KeyInput } from 'jose';
import type {
  EquipmentChecker,
  EquipmentCheckResult,
  EquipmentStatus,
} from '../../core/check/equipment-check.js';
import {
  createN5gEirServer,
  type N5gEirObservation,
  type N5gEirServerOptions,
} from './n5g-eir-server.js';
import { loadEquipmentStatusSpec, type OperationSpec } from './n5g-eir-openapi.js';
import { SKIP_NO_OPENSSL, selfSignedCertificate } from '../../protocols/http2/tls-test-kit.js';

const here = dirname(fileURLToPath(import.meta.url));
const SPECS = resolve(here, '../../../../shared/specs/3gpp');
const REL17 = loadEquipmentStatusSpec(join(SPECS, 'Rel-17-min'), 'Rel-17');
const REL18 = loadEquipmentStatusSpec(join(SPECS, 'Rel-18-min'), 'Rel-18');
const PATH = '/n5g-eir-eic/v1/equipment-status';

/** Fake in-memory check engine: 14-digit IMEI key, optional IMEI+IMSI override. */
class FakeChecker implements EquipmentChecker {
  readonly calls: { imei: string; imsi: string | undefined }[] = [];
  constructor(
    readonly version: string,
    private readonly byImei: ReadonlyMap<string, EquipmentStatus>,
    private readonly byPair: ReadonlyMap<string, EquipmentStatus> = new Map(),
    private readonly fail = false,
  ) {}
  check(imei: string, imsi?: string): EquipmentCheckResult {
    this.calls.push({ imei, imsi });
    if (this.fail) throw new Error('engine failure');
    const key = imei.slice(0, 14);
    const s =
      (imsi !== undefined ? this.byPair.get(`${key}|${imsi}`) : undefined) ?? this.byImei.get(key);
    return s === undefined
      ? { kind: 'unknown', reasons: [] }
      : { kind: 'status', status: s, reasons: [] };
  }
}

const WHITE = '35209900176148';
const BLACK = '49015420323751';
const GREY = '26053179311383';
const PAIRED = '86123456789012';
const IMSI = '001010123456789';

function fakeChecker(version = 'v1'): FakeChecker {
  return new FakeChecker(
    version,
    new Map<string, EquipmentStatus>([
      [WHITE, 'WHITELISTED'],
      [BLACK, 'BLACKLISTED'],
      [GREY, 'GREYLISTED'],
      [PAIRED, 'WHITELISTED'],
    ]),
    new Map<string, EquipmentStatus>([[`${PAIRED}|${IMSI}`, 'BLACKLISTED']]),
  );
}

interface Reply {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
  ms: number;
}

let validated = 0;

/** Validate one response against both releases' YAML (Rel-17 is the contract, Rel-18 a bound). */
function assertConforms(r: Reply, what: string): void {
  for (const spec of [REL17, REL18] as OperationSpec[]) {
    const v = spec.validate({
      status: r.status,
      contentType: r.headers['content-type'] as string | undefined,
      body: r.body,
    });
    assert.ok(v.ok, `${what}: ${r.status} vs ${spec.release} ${v.matched}: ${v.errors.join('; ')}`);
  }
  // Stricter than `default`: every error we send is ProblemDetails (except a 406, no content).
  if (r.status >= 400 && r.status !== 406) {
    assert.equal(r.headers['content-type'], 'application/problem+json', what);
    const pd = JSON.parse(r.body) as { status?: number };
    assert.equal(pd.status, r.status, what);
    const v = REL17.validate({
      status: 400,
      contentType: 'application/problem+json',
      body: r.body,
    });
    assert.ok(v.ok, `${what}: not a ProblemDetails: ${v.errors.join('; ')}`);
  }
  if (r.status === 200) assert.equal(r.headers['content-type'], 'application/json', what);
  if (r.body.length > 0)
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
  validated++;
}

function request(
  session: http2.ClientHttp2Session,
  path: string,
  headers: http2.OutgoingHttpHeaders = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const req = session.request(
      { ':method': method, ':path': path, ...headers },
      { endStream: true },
    );
    let status = 0;
    let hdrs: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      hdrs = h;
      status = Number(h[':status']);
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        status,
        headers: hdrs,
        body: Buffer.concat(chunks).toString('utf8'),
        ms: performance.now() - t0,
      };
      try {
        assertConforms(r, `${method} ${path}`);
        resolvePromise(r);
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function q(pei: string, extra = ''): string {
  return `${PATH}?pei=${pei}${extra}`;
}

async function withServer(
  opts: Partial<N5gEirServerOptions> & { checker?: () => EquipmentChecker },
  fn: (session: http2.ClientHttp2Session, port: number) => Promise<void>,
  client: { ca?: string | Buffer; settings?: http2.Settings } = {},
): Promise<void> {
  const checker = fakeChecker();
  const server = createN5gEirServer({ checker: () => checker, ...opts });
  const port = await server.listen(0, '127.0.0.1');
  const url = opts.tls ? `https://127.0.0.1:${port}` : `http://127.0.0.1:${port}`;
  const session = http2.connect(url, {
    ...(client.ca ? { ca: client.ca } : {}),
    ...(client.settings ? { settings: client.settings } : {}),
  });
  session.on('error', () => {});
  try {
    await fn(session, port);
  } finally {
    session.close();
    await server.close();
  }
}

function problemOf(r: Reply): {
  cause?: string;
  invalidParams?: { param: string; reason?: string }[];
  status: number;
} {
  return JSON.parse(r.body) as ReturnType<typeof problemOf>;
}

describe('N5g-eir server (TS 29.511) over h2c', () => {
  it('loads the 3GPP YAML: the operation lists the Rel-17 responses', () => {
    assert.deepEqual(
      [...REL17.responseKeys].sort(),
      ['200', '307', '308', '400', '401', '404', '414', '429', '500', '503', 'default'].sort(),
    );
    // The oracle itself rejects non-conforming answers.
    assert.equal(
      REL17.validate({ status: 200, contentType: 'application/json', body: '{"status":"RED"}' }).ok,
      false,
    );
    assert.equal(
      REL17.validate({ status: 200, contentType: 'application/problem+json', body: '{}' }).ok,
      false,
    );
    assert.equal(
      REL17.validate({
        status: 400,
        contentType: 'application/problem+json',
        body: '{"invalidParams":[]}',
      }).ok,
      false,
    );
  });

  it('answers white, black and grey, with IMEI and IMEISV PEIs', async () => {
    await withServer({}, async (s) => {
      const w = await request(s, q(`imei-${WHITE}0`));
      assert.equal(w.status, 200);
      assert.deepEqual(JSON.parse(w.body), { status: 'WHITELISTED' });
      const b = await request(s, q(`imei-${BLACK}8`));
      assert.deepEqual(JSON.parse(b.body), { status: 'BLACKLISTED' });
      const g = await request(s, q(`imeisv-${GREY}01`));
      assert.deepEqual(JSON.parse(g.body), { status: 'GREYLISTED' });
    });
  });

  it('passes the IMSI of an imsi- SUPI to the IMSI-aware check; accepts gpsi and features', async () => {
    const checker = fakeChecker();
    await withServer({ checker: () => checker }, async (s) => {
      const plain = await request(s, q(`imei-${PAIRED}0`));
      assert.deepEqual(JSON.parse(plain.body), { status: 'WHITELISTED' });
      const paired = await request(
        s,
        q(`imei-${PAIRED}0`, `&supi=imsi-${IMSI}&gpsi=msisdn-447700900123&supported-features=0`),
      );
      assert.deepEqual(JSON.parse(paired.body), { status: 'BLACKLISTED' });
      const nai = await request(s, q(`imei-${PAIRED}0`, '&supi=nai-user@example.org'));
      assert.deepEqual(JSON.parse(nai.body), { status: 'WHITELISTED' });
      assert.deepEqual(checker.calls, [
        { imei: `${PAIRED}0`, imsi: undefined },
        { imei: `${PAIRED}0`, imsi: IMSI },
        { imei: `${PAIRED}0`, imsi: undefined },
      ]);
    });
  });

  it('answers unknown equipment 404 ERROR_EQUIPMENT_UNKNOWN (also MAC and EUI-64 PEIs)', async () => {
    await withServer({}, async (s) => {
      for (const pei of [
        'imei-111111111111110',
        'mac-00-1a-2b-3c-4d-5e',
        'mac-00-1A-2B-3C-4D-5E-untrusted',
        'eui-00-11-22-33-44-55-66-77',
      ]) {
        const r = await request(s, q(pei));
        assert.equal(r.status, 404, pei);
        assert.equal(problemOf(r).cause, 'ERROR_EQUIPMENT_UNKNOWN');
      }
    });
  });

  it('400 MANDATORY_QUERY_PARAM_MISSING when pei is absent', async () => {
    await withServer({}, async (s) => {
      for (const path of [PATH, `${PATH}?`, `${PATH}?supi=imsi-${IMSI}`, `${PATH}?pei`]) {
        const r = await request(s, path);
        if (path.endsWith('?pei')) {
          // `pei` with no `=`: present but empty, so incorrect.
          assert.equal(problemOf(r).cause, 'MANDATORY_QUERY_PARAM_INCORRECT', path);
          continue;
        }
        assert.equal(r.status, 400, path);
        const p = problemOf(r);
        assert.equal(p.cause, 'MANDATORY_QUERY_PARAM_MISSING');
        assert.deepEqual(
          p.invalidParams?.map((i) => i.param),
          ['query pei'],
        );
      }
    });
  });

  it('400 MANDATORY_QUERY_PARAM_INCORRECT for a malformed pei (strict, unlike the YAML pattern)', async () => {
    await withServer({}, async (s) => {
      for (const pei of [
        'imei-123',
        'imei-12345678901234X',
        'foo',
        '',
        'imei-1234567890123456',
        'imeisv-123456789012345',
        'IMEI-352099001761481',
        'imei-35209900176148%3',
        'mac-00-1a-2b-3c-4d',
        '%ZZ',
      ]) {
        const r = await request(s, q(pei));
        assert.equal(r.status, 400, pei);
        const p = problemOf(r);
        assert.equal(p.cause, 'MANDATORY_QUERY_PARAM_INCORRECT', pei);
        assert.deepEqual(
          p.invalidParams?.map((i) => i.param),
          ['query pei'],
          pei,
        );
        assert.ok(p.invalidParams?.[0]?.reason, pei);
      }
      // Percent-encoding is decoded; a repeated pei is incorrect.
      const enc = await request(s, q(`imei%2D${WHITE}0`));
      assert.equal(enc.status, 200);
      const twice = await request(s, q(`imei-${WHITE}0`, `&pei=imei-${BLACK}0`));
      assert.equal(problemOf(twice).cause, 'MANDATORY_QUERY_PARAM_INCORRECT');
    });
  });

  it('400 OPTIONAL_QUERY_PARAM_INCORRECT for malformed supi, gpsi, supported-features', async () => {
    await withServer({}, async (s) => {
      for (const extra of [
        '&supi=imsi-12',
        '&supi=foo',
        '&gpsi=msisdn-12',
        '&gpsi=bar',
        '&supported-features=xyz',
        `&supi=imsi-${IMSI}&supi=imsi-${IMSI}`,
      ]) {
        const r = await request(s, q(`imei-${WHITE}0`, extra));
        assert.equal(r.status, 400, extra);
        const p = problemOf(r);
        assert.equal(p.cause, 'OPTIONAL_QUERY_PARAM_INCORRECT', extra);
        assert.equal(p.invalidParams?.length, 1, extra);
        assert.match(p.invalidParams?.[0]?.param ?? '', /^query (supi|gpsi|supported-features)$/);
      }
      // Unknown parameters are ignored.
      const r = await request(s, q(`imei-${WHITE}0`, '&vendor-x=1'));
      assert.equal(r.status, 200);
    });
  });

  it('404 for other paths, 405 for other methods, 414 for long URIs, 406 without JSON', async () => {
    await withServer({ maxPathLength: 512 }, async (s) => {
      for (const path of [
        '/',
        '/n5g-eir-eic/v2/equipment-status?pei=x',
        `${PATH}/x`,
        '/nudm-sdm/v2/x',
      ]) {
        const r = await request(s, path);
        assert.equal(r.status, 404, path);
        assert.equal(problemOf(r).cause, undefined);
      }
      for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const r = await request(s, q(`imei-${WHITE}0`), {}, m);
        assert.equal(r.status, 405, m);
        assert.equal(r.headers['allow'], 'GET');
      }
      const head = await new Promise<number>((res) => {
        const req = s.request({ ':method': 'HEAD', ':path': q(`imei-${WHITE}0`) });
        req.on('response', (h) => res(Number(h[':status'])));
        req.resume();
      });
      assert.equal(head, 405);
      const long = await request(s, q(`imei-${WHITE}0`, `&gpsi=${'x'.repeat(600)}`));
      assert.equal(long.status, 414);
      const na = await request(s, q(`imei-${WHITE}0`), { accept: 'text/html' });
      assert.equal(na.status, 406);
      assert.equal(na.body, '');
      const zero = await request(s, q(`imei-${WHITE}0`), {
        accept: 'application/json;q=0, text/*',
      });
      assert.equal(zero.status, 406);
      for (const accept of [
        'application/json',
        '*/*',
        'application/*;q=0.5',
        'text/html, application/json',
      ]) {
        const r = await request(s, q(`imei-${WHITE}0`), { accept });
        assert.equal(r.status, 200, accept);
      }
    });
  });

  it('500 SYSTEM_FAILURE when the check engine throws; the snapshot is picked per request', async () => {
    let current: EquipmentChecker = fakeChecker('a');
    await withServer({ checker: () => current }, async (s) => {
      assert.equal((await request(s, q(`imei-${WHITE}0`))).status, 200);
      current = new FakeChecker('b', new Map(), new Map(), true);
      const r = await request(s, q(`imei-${WHITE}0`));
      assert.equal(r.status, 500);
      assert.equal(problemOf(r).cause, 'SYSTEM_FAILURE');
      current = new FakeChecker('c', new Map([[WHITE, 'GREYLISTED']]));
      assert.deepEqual(JSON.parse((await request(s, q(`imei-${WHITE}0`))).body), {
        status: 'GREYLISTED',
      });
    });
  });

  it('reports an observation per check (IMEI, IMSI, peer, time, result, version)', async () => {
    const seen: N5gEirObservation[] = [];
    await withServer({ onCheck: (o) => seen.push(o) }, async (s) => {
      const t0 = Date.now();
      await request(s, q(`imei-${PAIRED}0`, `&supi=imsi-${IMSI}&gpsi=msisdn-447700900123`));
      await request(s, q('imei-111111111111110'));
      await request(s, q('imei-123')); // refused: no observation
      assert.equal(seen.length, 2);
      const [a, b] = seen;
      assert.equal(a?.imei, `${PAIRED}0`);
      assert.equal(a?.imsi, IMSI);
      assert.equal(a?.gpsi, 'msisdn-447700900123');
      assert.equal(a?.peer, '127.0.0.1');
      assert.equal(a?.version, 'v1');
      assert.ok((a?.time ?? 0) >= t0 && (a?.time ?? 0) <= Date.now());
      assert.deepEqual(a?.result, { kind: 'status', status: 'BLACKLISTED', reasons: [] });
      assert.equal(b?.result.kind, 'unknown');
      assert.equal(b?.imsi, undefined);
    });
  });

  it('serves many concurrent streams on one connection', async () => {
    await withServer({ maxConcurrentStreams: 100 }, async (s) => {
      const peis = [WHITE, BLACK, GREY];
      const expected = ['WHITELISTED', 'BLACKLISTED', 'GREYLISTED'];
      const replies = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => request(s, q(`imei-${peis[i % 3]}0`))),
      );
      replies.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.body), { status: expected[i % 3] });
      });
    });
  });

  it('answers 503 NF_CONGESTION quickly above the in-flight limit, then recovers', async () => {
    await withServer(
      { overload: { maxInFlight: 8, retryAfterSec: 2 }, maxConcurrentStreams: 1000 },
      async (s) => {
        const replies = await Promise.all(
          Array.from({ length: 400 }, () => request(s, q(`imei-${WHITE}0`))),
        );
        const busy = replies.filter((r) => r.status === 503);
        const ok = replies.filter((r) => r.status === 200);
        assert.equal(busy.length + ok.length, 400);
        assert.ok(busy.length > 0, 'some requests were shed');
        assert.ok(ok.length >= 8, 'the first requests were served');
        for (const r of busy) {
          assert.equal(problemOf(r).cause, 'NF_CONGESTION');
          assert.equal(r.headers['retry-after'], '2');
        }
        // Once the burst is over, requests are served again.
        const after = await request(s, q(`imei-${WHITE}0`));
        assert.equal(after.status, 200);
      },
    );
  });

  it('keeps in-flight bounded and returns to zero after a burst', async () => {
    const checker = fakeChecker();
    const server = createN5gEirServer({
      checker: () => checker,
      overload: { maxInFlight: 50 },
      maxConcurrentStreams: 500,
    });
    const port = await server.listen(0, '127.0.0.1');
    const sessions = Array.from({ length: 4 }, () => {
      const s = http2.connect(`http://127.0.0.1:${port}`);
      s.on('error', () => {});
      return s;
    });
    try {
      const replies = await Promise.all(
        sessions.flatMap((s) => Array.from({ length: 300 }, () => request(s, q(`imei-${BLACK}0`)))),
      );
      const busy = replies.filter((r) => r.status === 503);
      assert.ok(busy.every((r) => r.ms < 1000));
      assert.ok(replies.every((r) => r.status === 200 || r.status === 503));
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.inFlight(), 0);
    } finally {
      for (const s of sessions) s.close();
      await server.close();
    }
  });
});

describe('N5g-eir server OAuth2 (scope n5g-eir-eic)', () => {
  let jwks: { keys: object[] };
  let sign: (
    claims: Record<string, unknown>,
    opts?: { exp?: number | string; nbf?: number },
  ) => Promise<string>;
  let signOther: () => Promise<string>;
  let publicKey: KeyInput;

  before(async () => {
    const pair = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    publicKey = pair.publicKey;
    jwks = {
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'nrf-1', alg: 'ES256', use: 'sig' }],
    };
    sign = (claims, opts = {}) => {
      let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'nrf-1' })
        .setIssuer('nrf-instance-1')
        .setAudience('5G_EIR')
        .setSubject('amf-instance-1')
        .setIssuedAt();
      jwt = jwt.setExpirationTime(opts.exp ?? '5m');
      if (opts.nbf !== undefined) jwt = jwt.setNotBefore(opts.nbf);
      return jwt.sign(pair.privateKey);
    };
    signOther = () =>
      new SignJWT({ scope: 'n5g-eir-eic' })
        .setProtectedHeader({ alg: 'ES256', kid: 'nrf-1' })
        .setIssuer('nrf-instance-1')
        .setAudience('5G_EIR')
        .setExpirationTime('5m')
        .sign(other.privateKey);
  });

  it('accepts a valid token (JWK Set) and refuses missing, invalid, expired and wrong-scope ones', async () => {
    const oauth = {
      jwks: jwks as never,
      issuer: 'nrf-instance-1',
      audience: '5G_EIR',
      requiredScope: 'n5g-eir-eic' as const,
      clockToleranceSec: 1,
    };
    await withServer({ oauth }, async (s) => {
      const good = await sign({ scope: 'nudm-sdm n5g-eir-eic' });
      for (let i = 0; i < 3; i++) {
        // First verified by jose, then from the token cache.
        const r = await request(s, q(`imei-${BLACK}0`), { authorization: `Bearer ${good}` });
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.body), { status: 'BLACKLISTED' });
      }
      const missing = await request(s, q(`imei-${BLACK}0`));
      assert.equal(missing.status, 401);
      assert.match(String(missing.headers['www-authenticate']), /^Bearer\b/);
      assert.doesNotMatch(String(missing.headers['www-authenticate']), /error=/);

      const cases: [string, string][] = [
        ['garbage', 'Bearer not.a.jwt'],
        ['basic', 'Basic dXNlcjpwYXNz'],
        ['bare scheme', 'Bearer'],
        [
          'expired',
          `Bearer ${await sign({ scope: 'n5g-eir-eic' }, { exp: Math.floor(Date.now() / 1000) - 60 })}`,
        ],
        [
          'not yet valid',
          `Bearer ${await sign({ scope: 'n5g-eir-eic' }, { nbf: Math.floor(Date.now() / 1000) + 600 })}`,
        ],
        ['wrong key', `Bearer ${await signOther()}`],
        ['tampered', `Bearer ${good.slice(0, -4)}AAAA`],
      ];
      for (const [what, authorization] of cases) {
        const r = await request(s, q(`imei-${BLACK}0`), { authorization });
        assert.equal(r.status, 401, what);
        assert.equal(r.headers['www-authenticate'], 'Bearer error="invalid_token"', what);
      }
      for (const scope of ['nudm-sdm', 'n5g-eir-eicx', undefined]) {
        const token = await sign(scope === undefined ? {} : { scope });
        const r = await request(s, q(`imei-${BLACK}0`), { authorization: `Bearer ${token}` });
        assert.equal(r.status, 403, String(scope));
        assert.equal(
          r.headers['www-authenticate'],
          'Bearer error="insufficient_scope", scope="n5g-eir-eic"',
        );
      }
      // Unauthenticated requests learn nothing about paths or parameters.
      assert.equal((await request(s, '/other')).status, 401);
      // Authenticated ones get the normal errors.
      const bad = await request(s, q('imei-123'), { authorization: `Bearer ${good}` });
      assert.equal(bad.status, 400);
    });
  });

  it('verifies with plain keys and rejects wrong issuer or audience', async () => {
    const oauth = {
      keys: [publicKey],
      issuer: 'nrf-instance-1',
      audience: ['5G_EIR', 'eir-instance-7'],
      requiredScope: 'n5g-eir-eic' as const,
    };
    await withServer({ oauth }, async (s) => {
      const good = await sign({ scope: 'n5g-eir-eic' });
      const r = await request(s, q(`imei-${GREY}0`), { authorization: `bearer ${good}` });
      assert.equal(r.status, 200);
    });
    await withServer({ oauth: { ...oauth, issuer: 'other-nrf' } }, async (s) => {
      const good = await sign({ scope: 'n5g-eir-eic' });
      const r = await request(s, q(`imei-${GREY}0`), { authorization: `Bearer ${good}` });
      assert.equal(r.status, 401);
    });
    await withServer({ oauth: { ...oauth, audience: 'UDM' } }, async (s) => {
      const good = await sign({ scope: 'n5g-eir-eic' });
      const r = await request(s, q(`imei-${GREY}0`), { authorization: `Bearer ${good}` });
      assert.equal(r.status, 401);
    });
  });

  it('without oauth configured, tokens are not required', async () => {
    await withServer({}, async (s) => {
      assert.equal((await request(s, q(`imei-${GREY}0`))).status, 200);
    });
  });
});

describe('N5g-eir server over TLS (h2)', () => {
  let key: Buffer | undefined;
  let cert: Buffer | undefined;

  before(() => {
    ({ key, cert } = selfSignedCertificate() ?? {});
  });

  it('answers over TLS with ALPN h2 and refuses HTTP/1.1', async (t) => {
    if (!key || !cert) {
      t.skip(SKIP_NO_OPENSSL);
      return;
    }
    const tls = { key, cert };
    await withServer(
      { tls },
      async (s, port) => {
        const r = await request(s, q(`imei-${WHITE}0`));
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.body), { status: 'WHITELISTED' });
        assert.equal(s.alpnProtocol, 'h2');
        const u = await request(s, q('foo'));
        assert.equal(problemOf(u).cause, 'MANDATORY_QUERY_PARAM_INCORRECT');
        // An HTTP/1.1-only client gets no service (allowHTTP1 false: node answers 403 or drops).
        const https = await import('node:https');
        const h1 = await new Promise<number | undefined>((res) => {
          const req = https.get(
            {
              host: '127.0.0.1',
              port,
              path: q(`imei-${WHITE}0`),
              ca: cert,
              agent: false,
              timeout: 5000,
            },
            (resp) => {
              resp.resume();
              res(resp.statusCode);
            },
          );
          req.on('error', () => res(undefined));
          req.on('timeout', () => {
            req.destroy();
            res(undefined);
          });
        });
        assert.notEqual(h1, 200, 'HTTP/1.1 over TLS is refused');
      },
      { ca: cert },
    );
  });
});

after(() => {
  assert.ok(validated > 100, `validated ${validated} responses against the YAML`);
});
