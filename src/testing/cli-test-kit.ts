/** Shared pieces of the tests that drive the CLI in process. */

/** An output capture for `main(args, io)`: every line printed, by stream. */
export function captureIo(): {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly interactive: false;
  out(line: string): void;
  err(line: string): void;
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    interactive: false,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
  };
}

/**
 * A `gates:` config section that lets tiny hand-written dumps through: they fail every
 * statistical gate, and the gates have their own tests.
 */
export const RELAXED_GATES_YAML = `gates:
  null_imei_max: 1
  null_imsi_max: 1
  null_msisdn_max: 1
  null_rat_max: 1
  unclean_imei_max: 1
  imsi_length_max: 1
  imsi_outside_country_max: 1
  msisdn_outside_country_max: 1
  imsi_outside_operator_max: 1
  leading_zero_check: false
  history_min_ratio: 0
`;

/** Testland (MCC 001, country code 999) with one operator, alpha (00101): the config's head. */
export const TESTLAND_YAML = `country: { name: Testland, mcc: ['001'], msisdn_country_codes: ['999'] }
operators:
  - { id: alpha, name: Alpha Mobile, mcc_mnc: ['00101'] }
`;

/** One `conditions:` entry: IMEIs on the stolen list, blocked at once. */
export const STOLEN_CONDITION_YAML = `  - label: stolen
    reason: Reported stolen
    blocking: true
    grace_period_days: 0
    max_allowed_matching_ratio: 1
    dimensions: [{ module: stolen_list }]
`;
