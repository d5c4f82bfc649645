/**
 * The equipment check decision (TS 29.511 §5.2.2.2 EquipmentStatus; TS 29.272 §7.3.51
 * Equipment-Status), shared by every interface that answers it (N5g-eir, S13, the public API).
 */

/** TS 29.511 EquipmentStatus; the S13 Equipment-Status AVP values are 0, 1, 2 in this order. */
export const EquipmentStatus = {
  WHITELISTED: 'WHITELISTED',
  BLACKLISTED: 'BLACKLISTED',
  GREYLISTED: 'GREYLISTED',
} as const;
export type EquipmentStatus = (typeof EquipmentStatus)[keyof typeof EquipmentStatus];

/** S13 Equipment-Status AVP (1445) value of a status. */
export const EQUIPMENT_STATUS_CODE: Readonly<Record<EquipmentStatus, 0 | 1 | 2>> = {
  WHITELISTED: 0,
  BLACKLISTED: 1,
  GREYLISTED: 2,
};

/** Why a decision was taken (no personal data: condition labels and policy names). */
export type CheckReason = string;

export type EquipmentCheckResult =
  | {
      readonly kind: 'status';
      readonly status: EquipmentStatus;
      readonly reasons: readonly CheckReason[];
    }
  /** Unknown equipment: N5g-eir 404 ERROR_EQUIPMENT_UNKNOWN, S13 Experimental-Result 5422. */
  | { readonly kind: 'unknown'; readonly reasons: readonly CheckReason[] };

/** What a check server asks: one decision per (IMEI, optional IMSI), from memory. */
export interface EquipmentChecker {
  /**
   * `imei`: the IMEI as received (14-16 digits; the check digit or SVN is ignored) or any other
   * text (malformed: decided by policy). `imsi`: digits, when the network sent one.
   */
  check(imei: string, imsi?: string): EquipmentCheckResult;
  /**
   * Optional bulk form: `out[i]` = `check(imeis[i], imsis?.[i])` for i < n, faster for a burst of
   * requests (the index probes overlap in memory).
   */
  checkMany?(
    imeis: readonly string[],
    imsis: readonly (string | undefined)[] | undefined,
    out: EquipmentCheckResult[],
    n?: number,
  ): void;
  /** Version of the data the decisions come from (the snapshot's). */
  readonly version: string;
}
