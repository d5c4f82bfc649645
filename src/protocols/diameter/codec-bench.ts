/**
 * Micro-benchmark of the S13 hot path on one core: ECR decode + ECA encode per second, and the
 * same through the framer with chunks of 64 coalesced messages (as a busy TCP socket delivers).
 * Run: npx tsc -p tsconfig.json && node dist/protocols/diameter/codec-bench.js [seconds]
 */
import { DiameterFramer } from './framer.js';
import { LastText } from './last-text.js';
import {
  decodeMeIdentityCheckRequest,
  type MeIdentityCheckRequest,
} from './s13-request-decoder.js';
import { encodeMeIdentityCheckAnswer, encodeMeIdentityCheckRequest } from './s13.js';

const seconds = Number(process.argv[2] ?? 3);
const HOST = 'eir01.epc.mnc001.mcc001.3gppnetwork.org';
const REALM = 'epc.mnc001.mcc001.3gppnetwork.org';

const requests: Buffer[] = [];
for (let i = 0; i < 1024; i++) {
  requests.push(
    encodeMeIdentityCheckRequest({
      hopByHop: i,
      endToEnd: i,
      sessionId: `mme01.epc.mnc001.mcc001.3gppnetwork.org;1700000000;${i};app_s13`,
      originHost: 'mme01.epc.mnc001.mcc001.3gppnetwork.org',
      originRealm: REALM,
      destinationRealm: REALM,
      terminalInformation: { imei: String(35693803564380 + i * 7919), softwareVersion: '01' },
      userName: String(1010123456789 + i),
      vendorSpecificApplicationId: true,
    }),
  );
}

/** The ECA of a stand-in verdict from the IMEI's last digit: white, black, grey or unknown (5422). */
function answer(request: MeIdentityCheckRequest): number {
  const v = request.terminalInformation.imei!.charCodeAt(13) & 3;
  const eca = encodeMeIdentityCheckAnswer({
    request,
    originHost: HOST,
    originRealm: REALM,
    result:
      v === 3
        ? { kind: 'experimental', code: 5422 }
        : { kind: 'status', equipmentStatus: v as 0 | 1 | 2 },
  });
  return eca.length;
}

function handle(ecr: Buffer): number {
  const d = decodeMeIdentityCheckRequest(ecr);
  if (d.kind !== 'ok') throw new Error(d.reason);
  return answer(d.request);
}

// As s13-server reads a request: IMEI, User-Name (the IMSI) and Origin-Host (the observation's
// peer, through the connection's LastText), then answers it.
const hosts = new LastText();
let sink = 0;
function handleAsServer(ecr: Buffer): number {
  const d = decodeMeIdentityCheckRequest(ecr, hosts);
  if (d.kind !== 'ok') throw new Error(d.reason);
  const r = d.request;
  sink += (r.userName?.length ?? 0) + r.originHost.length;
  return answer(r);
}

function run(name: string, body: () => number): void {
  // Warm up, then measure for `seconds`.
  const warm = Date.now() + 500;
  while (Date.now() < warm) body();
  let n = 0;
  const start = process.hrtime.bigint();
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) for (let k = 0; k < 16; k++) n += body();
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `${name}: ${Math.round(n / secs).toLocaleString('en')} ECR/s (1 core, ${n} messages)`,
  );
}

let i = 0;
run('decode ECR + encode ECA', () => {
  handle(requests[i++ & 1023]!);
  return 1;
});

run('decode ECR, read IMEI + User-Name + Origin-Host, encode ECA', () => {
  handleAsServer(requests[i++ & 1023]!);
  return 1;
});

const framer = new DiameterFramer();
const batch = Buffer.concat(requests.slice(0, 64));
run('framer + decode ECR + encode ECA (64 per chunk)', () => {
  const out = framer.push(batch);
  for (const m of out.messages) handle(m);
  return out.messages.length;
});
if (sink < 0) console.log(sink);
