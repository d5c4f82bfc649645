/**
 * The public IMEI check (issue #5 "Anyone"): status in plain words, the device's brand and model
 * from the TAC database, the reasons, never personal data; check-digit typos caught with the
 * corrected IMEI suggested; one or two IMEIs (dual-SIM devices) at once; "hardware-attested" when
 * a valid Android key attestation names the IMEI (issue 8, docs/attestation.md). Answered from
 * memory.
 */
import type { PublicCheckSource, PublicStatus } from '../core/ports/people-services.js';
import { parseImeiInput } from './imei-input.js';

/** Plain words for the check engine's policy reasons (list reasons are already plain). */
const REASON_TEXT: Readonly<Record<string, string | null>> = {
  golden_imei: 'Exempted by the regulator',
  paired_imsi: 'Paired with its owner’s SIM',
  pending_block: null,
  not_listed: null,
  unknown_tac: 'The first 8 digits (TAC) are not allocated to any device maker',
  malformed_imei: 'Not a valid IMEI',
};

export function plainReasons(reasons: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of reasons) {
    const t = r in REASON_TEXT ? REASON_TEXT[r] : r;
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export function statusText(s: PublicStatus): string {
  switch (s.status) {
    case 'allowed':
      return 'Allowed: this device can be used on the mobile networks.';
    case 'pending':
      return `Will be blocked on ${s.blockDate ?? 'a date to be set'}: this device will stop working on the mobile networks then.`;
    case 'blocked':
      return 'Blocked: this device cannot be used on the mobile networks.';
    case 'unknown':
      return 'Unknown: no device maker was given this IMEI; do not buy a device showing it.';
  }
}

/** The body of `GET /api/v1/public/check` (routes-public.ts and the check workers' fast path). */
export function publicCheckBody(
  source: PublicCheckSource,
  imei: string,
  imei2: string | undefined,
): { checks: Record<string, unknown>[]; data_version: string } {
  const checks = [checkOne(source, imei)];
  if (imei2 !== undefined) checks.push(checkOne(source, imei2));
  return { checks, data_version: source.version };
}

export function checkOne(source: PublicCheckSource, input: string): Record<string, unknown> {
  const p = parseImeiInput(input);
  if (p.kind !== 'ok')
    return {
      input,
      valid: false,
      problem: p.problem,
      message: p.message,
      ...(p.suggestion ? { suggestion: p.suggestion } : {}),
    };
  const s = source.status(p.key);
  const d = source.device(p.key.slice(0, 8));
  return {
    input,
    valid: true,
    imei: p.imei,
    status: s.status,
    status_text: statusText(s),
    block_date: s.blockDate,
    reasons: plainReasons(s.reasons),
    device: d
      ? { brand: d.brand, model: d.model, manufacturer: d.manufacturer, device_type: d.deviceType }
      : null,
    attestation: source.hardwareAttested(p.key) ? 'hardware-attested' : null,
  };
}
