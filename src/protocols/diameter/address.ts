/**
 * The Address data format (RFC 6733 §4.3.1): a 2-octet IANA "Address Family Numbers" value (1 IPv4,
 * 2 IPv6) followed by the address bytes. Text forms are dotted quad and RFC 5952 IPv6.
 */

/** IANA Address Family Numbers used by RFC 6733 Address AVPs. */
export const ADDRESS_FAMILY_IPV4 = 1;
export const ADDRESS_FAMILY_IPV6 = 2;

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(text: string): number[] | undefined {
  let head = text;
  let tail4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // An embedded IPv4 tail (RFC 4291 §2.2 form 3) stands for the last two groups.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail4 = v4;
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      const n = parseInt(g, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  const a = group(halves[0]!);
  const b = halves.length === 2 ? group(halves[1]!) : [];
  if (!a || !b) return undefined;
  const known = a.length + b.length + tail4.length;
  if (halves.length === 1) return known === 16 ? [...a, ...tail4] : undefined;
  if (known > 14) return undefined;
  return [...a, ...new Array<number>(16 - known).fill(0), ...b, ...tail4];
}

/** Parses IPv4 or IPv6 text into an address family and its bytes; undefined if neither. */
export function parseAddress(text: string): { family: number; bytes: Uint8Array } | undefined {
  if (text.includes(':')) {
    const b = parseIpv6(text);
    return b ? { family: ADDRESS_FAMILY_IPV6, bytes: Uint8Array.from(b) } : undefined;
  }
  const b = parseIpv4(text);
  return b ? { family: ADDRESS_FAMILY_IPV4, bytes: Uint8Array.from(b) } : undefined;
}

/** Formats an address; undefined for other families or a wrong length. IPv6 per RFC 5952 §4. */
export function formatAddress(family: number, bytes: Uint8Array): string | undefined {
  if (family === ADDRESS_FAMILY_IPV4 && bytes.length === 4) return bytes.join('.');
  if (family !== ADDRESS_FAMILY_IPV6 || bytes.length !== 16) return undefined;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // The longest run of two or more zero groups (the first if tied) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}
