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
