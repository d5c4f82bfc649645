/** One CSV field as RFC 4180 writes it: quoted (with `"` doubled) only when it holds `,`, `"`, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
