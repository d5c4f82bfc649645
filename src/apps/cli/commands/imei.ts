/** `ceir imei <imei>`: normalised form, check digit, TAC device data, sightings, list memberships. */
import {
  generationNames,
  imeiCheckDigitStatus,
  isTestTac,
  luhnCheckDigit,
  normaliseImei,
  ratMaskGenerations,
  ratMaskToCodes,
} from '../../../core/ids/index.js';
import type { CliContext } from '../cli-context.js';
import { attestationLines, imeiAttestation } from '../imei-attestation.js';

function days(mask: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < 31; d++) if (mask & (1 << d)) out.push(d + 1);
  return out;
}

export async function runImei(ctx: CliContext, raw: string): Promise<number> {
  const n = normaliseImei(raw);
  const store = await ctx.openStore();
  const valid = n.kind === 'valid';
  const tacCode = valid ? n.norm.slice(0, 8) : undefined;
  const tac = tacCode ? await store.tac(tacCode) : undefined;
  const sightings = await store.sightings(n.norm);
  const lists = await store.listMemberships(n.norm);
  const conditions = await store.imeiConditions(n.norm);
  const attestation = valid ? await imeiAttestation(store, n.norm) : null;
  const report = {
    input: raw,
    imei_norm: n.norm,
    malformed: !valid,
    check_digit: valid ? luhnCheckDigit(n.norm) : null,
    check_digit_status: imeiCheckDigitStatus(raw),
    test_tac: valid ? isTestTac(n.norm) : false,
    tac: tacCode ?? null,
    device: tac ? { ...tac.attrs, capabilities: generationNames(tac.caps) } : null,
    seen: sightings.map((s) => ({ ...s, days: days(s.dayMask), rats: ratMaskToCodes(s.ratMask) })),
    lists,
    conditions,
    attestation,
  };
  ctx.print(report, () => {
    const l = [
      `IMEI ${raw}`,
      `  normalised   ${n.norm}${valid ? '' : '  (MALFORMED: does not start with 14 digits)'}`,
    ];
    if (valid) {
      l.push(
        `  check digit  ${report.check_digit} (input: ${report.check_digit_status}); full IMEI ${n.norm}${report.check_digit}`,
      );
      l.push(`  TAC          ${tacCode}${report.test_tac ? ' (test/reserved TAC)' : ''}`);
    }
    if (tac) {
      const a = tac.attrs;
      const device = `${a['Brand Name'] ?? a['brand_name'] ?? ''} ${a['Model Name'] ?? a['model_name'] ?? ''} (${a['Manufacturer'] ?? a['manufacturer'] ?? '?'}), ${a['Device Type'] ?? a['device_type'] ?? '?'}`;
      l.push(`  device       ${device.replace(/\s+/g, ' ').trim()}`);
      l.push(`  radio        ${generationNames(tac.caps).join(', ') || 'unknown'}`);
    } else if (valid) l.push('  device       TAC not in the GSMA TAC database');
    if (sightings.length === 0) l.push('  seen         never on a network');
    for (const s of sightings)
      l.push(
        `  seen         ${s.operator} ${s.month.slice(0, 7)} IMSI ${s.imsi ?? '-'} MSISDN ${s.msisdn ?? '-'} ${s.firstSeen}..${s.lastSeen} (${days(s.dayMask).length} days; ${generationNames(ratMaskGenerations(s.ratMask)).join('/')})`,
      );
    const open = conditions.filter((c) => c.endDate === null);
    if (open.length === 0) l.push('  conditions   none met');
    for (const c of conditions)
      l.push(
        `  condition    ${c.condition} (${c.blocking ? 'blocking' : 'informative'}): ${c.reason}; since ${c.startDate}${c.endDate ? `, ended ${c.endDate}` : ''}${c.blockDate ? `, block date ${c.blockDate}` : ''}${c.amnesty ? ' (amnesty)' : ''}`,
      );
    if (valid) l.push(...attestationLines(attestation));
    if (lists.length === 0) l.push('  lists        none');
    for (const m of lists)
      l.push(
        `  list         ${m.list} since ${m.validFrom}${m.status ? ` status ${m.status}` : ''}`,
      );
    return l;
  });
  return 0;
}
