/**
 * `npm run bench:attestation [-- --seconds 3 --testdata <dir>]`: Android key attestation chains
 * verified per second on one core (one thread, the verifier as `ceir attest` and the API run it:
 * node:crypto signatures and validity, ASN.1 parse of the leaf's KeyDescription, verdict).
 * Chains: the public test chains (`../shared/testdata/android-attestation/`: RSA 4 certificates,
 * EC 5 certificates to the RSA root, EC 5 certificates to the EC P-384 root), each at its key's
 * creation time, and chains made with an own root (RSA-2048 and EC P-256, 3 certificates; and 64
 * devices' leaves under one intermediate, verified in turn).
 * Each chain cold (every certificate parsed and checked, every KeyDescription component decoded)
 * and memoised (`attestation/certificate-cache.ts`: CA certificates, the leaf always checked
 * afresh, by its components against what its issuer's leaves share, `leaf-certificate.ts`;
 * `attestation/key-description-components.ts`: KeyDescription fields shared by devices). Wall time and this
 * thread's CPU time (the machine may be shared). Prints a Markdown table; the figures go to bench/RESULTS.md by hand, with machine and date.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { attest, googleTrustAnchors, type TrustAnchor } from '../../attestation/index.js';
import { setCertificateCache } from '../../attestation/certificate-cache.js';
import { setComponentMemo } from '../../attestation/key-description-components.js';
import { makeChain } from '../../attestation/test-chains.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    testdata: {
      type: 'string',
      default: join(process.cwd(), '../shared/testdata/android-attestation'),
    },
  },
});
const seconds = Number(values.seconds);

interface Case {
  readonly name: string;
  /** Verified in turn (one chain, or leaves of many devices under the same CAs). */
  readonly chains: readonly (Uint8Array | readonly Uint8Array[])[];
  readonly at: Date;
  readonly anchors: readonly TrustAnchor[];
  readonly expect: string;
}

function realCase(file: string, created: number, expect: string, name: string): Case | undefined {
  try {
    const pem = readFileSync(join(values.testdata, `${file}.pem`));
    return {
      name,
      chains: [new Uint8Array(pem)],
      at: new Date(created),
      anchors: googleTrustAnchors(),
      expect,
    };
  } catch {
    return undefined;
  }
}

const cases: Case[] = [
  realCase(
    'blueline_sdk28_TEE_RSA_BASE_IMEI',
    1538178035177,
    'weak',
    'Pixel 3, RSA, 4 certs (PEM)',
  ),
  realCase(
    'caiman_sdk36_TEE_EC_RKP',
    1758900680964,
    'no_ids',
    'Pixel 9 Pro, EC, 5 certs to RSA root (PEM)',
  ),
  realCase(
    'tegu_sdk36_TEE_EC_2026_ROOT',
    1771894563060,
    'no_ids',
    'Pixel, EC, 5 certs to EC P-384 root (PEM)',
  ),
].filter((c): c is Case => c !== undefined);
for (const kind of ['rsa', 'ec'] as const) {
  const c = await makeChain({ kind });
  cases.push({
    name: `own root, ${kind === 'rsa' ? 'RSA-2048' : 'EC P-256'}, 3 certs (DER list)`,
    chains: [c.ders],
    at: new Date('2026-01-20T00:00:00Z'),
    anchors: [c.anchor],
    expect: 'attested',
  });
}
// Many devices under one intermediate: a new leaf each time (its own challenge, so its own
// KeyDescription and signature); RSA signatures are deterministic, so the CAs are the same bytes.
const devices = await Promise.all(
  Array.from({ length: 64 }, (_, i) =>
    makeChain({ kind: 'rsa', keyDescription: { challenge: Buffer.from(`device ${i}`) } }),
  ),
);
cases.push({
  name: 'own root, RSA-2048, 3 certs, 64 different leaves (DER list)',
  chains: devices.map((c) => c.ders),
  at: new Date('2026-01-20T00:00:00Z'),
  anchors: [devices[0]!.anchor],
  expect: 'attested',
});

/** Runs `fn` for about `seconds`: chains per second of wall time and of this thread's CPU time. */
function measure(fn: () => void): { n: number; wall: number; cpu: number } {
  for (let i = 0; i < 100; i++) fn(); // warm-up
  let n = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const until = t0 + BigInt(Math.round(seconds * 1e9));
  let now = t0;
  while (now < until) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    now = process.hrtime.bigint();
  }
  const c = process.cpuUsage(c0);
  return { n, wall: Number(now - t0) / 1e9, cpu: (c.user + c.system) / 1e6 };
}

const rows: string[] = [];
for (const c of cases) {
  let next = 0;
  const run = () => attest(c.chains[next++ % c.chains.length]!, { at: c.at, anchors: c.anchors });
  const first = run();
  if (first.verdict !== c.expect)
    throw new Error(
      `${c.name}: verdict ${first.verdict}, expected ${c.expect}: ${first.reasons.join('; ')}`,
    );
  for (const cached of [false, true]) {
    setCertificateCache(cached);
    setComponentMemo(cached);
    const m = measure(run);
    rows.push(
      `| ${c.name} | ${c.expect} | ${cached ? 'memoised' : 'cold'} | ${m.n} | ${Math.round(m.n / m.wall)} | ${Math.round(m.n / m.cpu)} | ${((m.cpu / m.n) * 1e6).toFixed(0)} |`,
    );
    console.error(rows.at(-1));
  }
}

console.log(
  `Attestation verification, one thread (Node ${process.version}, ${cpus().length}x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()[0]!.toFixed(1)})\n`,
);
console.log(
  '| chain | verdict | CAs, KeyDescription components | chains | chains/s (wall) | chains/s (CPU time) | µs CPU per chain |',
);
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
