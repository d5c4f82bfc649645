import type { NotOnRegistrationListParams } from '../condition.js';
import {
  type ClassificationData,
  registrationStatusRegisters,
  seenImeis,
  tacOfNorm,
} from '../data-model.js';

/**
 * `not_on_registration_list`: SEEN IMEIs not registered (DIRBS `not_on_registration_list`).
 *
 * Exact rule: a SEEN IMEI matches unless (a) it has an entry in `data.lists.registration` whose
 * status registers (null, empty or `whitelist`, case-insensitive, trimmed), or (b) its TAC (first
 * 8 characters) is in the TAC database with a `deviceType` exactly equal to one of
 * `exemptedDeviceTypes`. IMEIs of unknown TACs are never exempt; a malformed IMEI's TAC is its
 * first 8 characters like any other's, so it is exempt only when those name a known TAC of an
 * exempted type (DIRBS dropped unknown TACs from the result when exemptions were configured; we
 * do not).
 */
export function notOnRegistrationList(
  params: NotOnRegistrationListParams,
  data: ClassificationData,
  asOf: string = data.asOf,
): Set<string> {
  const exempt = new Set(params.exemptedDeviceTypes);
  const out = new Set<string>();
  for (const imei of seenImeis(data, asOf)) {
    const reg = data.lists.registration.get(imei);
    if (reg && registrationStatusRegisters(reg.status)) continue;
    const type = data.tacs.get(tacOfNorm(imei))?.deviceType;
    if (type != null && exempt.has(type)) continue;
    out.add(imei);
  }
  return out;
}
