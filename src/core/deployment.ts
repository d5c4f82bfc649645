/**
 * What the domain needs to know of a deployment (domain.md section 8), as plain types: the
 * config layer validates the file and produces values of these shapes.
 */

/** A country's identifiers: IMSIs of its MCCs and MSISDNs of its country codes are national. */
export interface CountryProfile {
  readonly name: string;
  readonly mcc: readonly string[];
  readonly msisdn_country_codes: readonly string[];
}

/** An operator: its subscribers' IMSIs start with one of its MCC-MNCs. */
export interface OperatorProfile {
  readonly id: string;
  readonly name: string;
  readonly mcc_mnc: readonly string[];
}

export interface DeploymentProfile {
  readonly country: CountryProfile;
  readonly operators: readonly OperatorProfile[];
}

/** Quality gates on operator data (domain.md section 3); ratios are fractions of rows. */
export interface QualityGates {
  readonly null_imei_max: number;
  readonly null_imsi_max: number;
  readonly null_msisdn_max: number;
  readonly null_rat_max: number;
  readonly unclean_imei_max: number;
  readonly imsi_length_max: number;
  readonly imsi_outside_country_max: number;
  readonly msisdn_outside_country_max: number;
  readonly imsi_outside_operator_max: number;
  readonly leading_zero_check: boolean;
  readonly history_min_ratio: number;
  readonly history_days: number;
  readonly date_in_period: boolean;
}
