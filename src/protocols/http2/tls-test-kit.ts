/**
 * TESTS ONLY: a self-signed certificate for TLS tests (HTTP/2 with ALPN h2), made by Debian's
 * openssl. Without openssl the tests skip, except in CI (`CI=true`), where that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SKIP_NO_OPENSSL = 'openssl is not available: apt-get install openssl';

/** A P-256 key and a one-day certificate for 127.0.0.1 and localhost; undefined without openssl. */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-tls-'));
  try {
    const r = spawnSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1'],
        ...['-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (r.status !== 0) {
      if (process.env['CI'] === 'true') throw new Error(`${SKIP_NO_OPENSSL} (${r.stderr ?? ''})`);
      return undefined;
    }
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
