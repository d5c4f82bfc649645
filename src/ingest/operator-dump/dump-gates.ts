/**
 * Quality gates on operator data (domain.md section 3), each with its configured limit and the
 * figure measured in the file. A figure equal to its limit passes. A failed gate rejects the file.
 */
import type { QualityGates as Gates } from '../../core/deployment.js';
import type { DailyCounts, GateResult } from '../../core/ports/store.js';
import type { DumpCounters } from './dump-parser.js';

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

function max(gate: string, value: number, limit: number, detail?: string): GateResult {
  return {
    gate,
    passed: value <= limit,
    value,
    limit,
    bound: 'max',
    ...(detail ? { detail } : {}),
  };
}

/** Gates computed from the file alone; `firstOutsidePeriodLine` feeds the date gate's detail. */
export function rowGates(c: DumpCounters, g: Gates, firstOutsidePeriodLine?: number): GateResult[] {
  const r = (n: number) => ratio(n, c.rows);
  const out = [
    max('null_imei', r(c.nullImei), g.null_imei_max),
    max('null_imsi', r(c.nullImsi), g.null_imsi_max),
    max('null_msisdn', r(c.nullMsisdn), g.null_msisdn_max),
    max('null_rat', r(c.nullRat), g.null_rat_max),
    max('unclean_imei', r(c.uncleanImei), g.unclean_imei_max),
    max('imsi_length', r(c.imsiBadLength), g.imsi_length_max),
    max('imsi_outside_country', r(c.imsiOutsideCountry), g.imsi_outside_country_max),
    max('msisdn_outside_country', r(c.msisdnOutsideCountry), g.msisdn_outside_country_max),
    max('imsi_outside_operator', r(c.imsiOutsideOperator), g.imsi_outside_operator_max),
  ];
  if (g.leading_zero_check) {
    // Leading-zero loss: more IMEIs start with 1 than with 0, and more than half of those match a
    // TAC once a 0 is prepended. The figure is that share (0 when 1s do not outnumber 0s).
    const suspicious = c.imeiStarts1 > c.imeiStarts0;
    out.push(
      max(
        'leading_zero',
        suspicious ? ratio(c.imeiStarts1TacWith0, c.imeiStarts1) : 0,
        0.5,
        `${c.imeiStarts0} IMEIs start with 0, ${c.imeiStarts1} with 1, ${c.imeiStarts1TacWith0} of those match a TAC with a 0 prepended`,
      ),
    );
  }
  if (g.date_in_period)
    out.push(
      max(
        'date_in_period',
        c.outsidePeriod,
        0,
        c.outsidePeriod > 0 && firstOutsidePeriodLine !== undefined
          ? `first row outside the period on line ${firstOutsidePeriodLine}`
          : undefined,
      ),
    );
  return out;
}

function average(days: readonly DailyCounts[], f: (d: DailyCounts) => number): number {
  return days.length === 0 ? 0 : days.reduce((s, d) => s + f(d), 0) / days.length;
}

/**
 * History gate: the file's average daily distinct IMEI/IMSI/MSISDN counts must be at least
 * `history_min_ratio` of the average over the operator's last `history_days` days. Skipped while
 * fewer days of history exist.
 */
export function historyGates(
  file: readonly DailyCounts[],
  history: readonly DailyCounts[],
  g: Gates,
): GateResult[] {
  const fields: [string, (d: DailyCounts) => number][] = [
    ['history_imeis', (d) => d.imeis],
    ['history_imsis', (d) => d.imsis],
    ['history_msisdns', (d) => d.msisdns],
  ];
  return fields.map(([gate, f]) => {
    if (history.length < g.history_days)
      return {
        gate,
        passed: true,
        value: 0,
        limit: g.history_min_ratio,
        bound: 'min' as const,
        skipped: `${history.length} of ${g.history_days} days of history`,
      };
    const value = ratio(average(file, f), average(history, f));
    return {
      gate,
      passed: value >= g.history_min_ratio,
      value,
      limit: g.history_min_ratio,
      bound: 'min' as const,
      detail: `file ${average(file, f).toFixed(0)}/day vs history ${average(history, f).toFixed(0)}/day`,
    };
  });
}
