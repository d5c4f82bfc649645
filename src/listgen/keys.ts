/**
 * The Ed25519 key pair (RFC 8032) that signs list manifests. The private key is a PKCS#8 PEM
 * readable by its owner only (mode 0600, in a 0700 directory); the public key an SPKI PEM that
 * operators receive once and verify with (`ceir verify` or `openssl pkeyutl`, docs/lists.md).
 * The key id is the first 16 hex digits of the SHA-256 of the raw 32-byte public key.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ceirError, ok, type Result } from '../core/errors.js';

export interface ListKeyPaths {
  readonly privateKey: string;
  readonly publicKey: string;
}

export interface ListKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** `<data>/keys/lists-ed25519.pem` and `<data>/keys/lists-ed25519.pub.pem`. */
export function listKeyPaths(dataDir: string): ListKeyPaths {
  const dir = join(dataDir, 'keys');
  return {
    privateKey: join(dir, 'lists-ed25519.pem'),
    publicKey: join(dir, 'lists-ed25519.pub.pem'),
  };
}

export function generateListKeyPair(): ListKeyPair {
  return generateKeyPairSync('ed25519');
}

/** The raw 32-byte Ed25519 public key (the last 32 bytes of its SPKI DER form). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/** First 16 hex digits of the SHA-256 of the raw public key. */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Writes the pair: the private key with mode 0600 (keys directory 0700), the public key 0644.
 * Refuses to replace an existing key unless `force` (a new key invalidates operators' copies).
 */
export function writeListKeyPair(
  paths: ListKeyPaths,
  pair: ListKeyPair,
  opts: { force?: boolean } = {},
): Result<{ keyId: string }> {
  const present = [paths.privateKey, paths.publicKey].filter((p) => existsSync(p));
  if (present.length && !opts.force)
    return ceirError(
      'CEIR_ERR_USAGE',
      `A list signing key already exists (${present.join(', ')}): operators verify with it; use --force to replace it`,
    );
  for (const p of [paths.privateKey, paths.publicKey])
    mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
  const priv = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Written under a new name with mode 0600 from the start, then renamed over any old key.
  const tmp = `${paths.privateKey}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, priv, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, paths.privateKey);
  writeFileSync(paths.publicKey, publicKeyPem(pair.publicKey), { mode: 0o644 });
  return ok({ keyId: keyId(pair.publicKey) });
}

function readKey(path: string, what: string): Result<string> {
  if (!existsSync(path))
    return ceirError(
      'CEIR_ERR_NOT_FOUND',
      `No list signing ${what} at ${path}: run \`ceir keys generate\` (or pass the operator's copy)`,
    );
  try {
    return ok(readFileSync(path, 'utf8'));
  } catch (e) {
    return ceirError('CEIR_ERR_INPUT_FILE', `Cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function asEd25519(k: KeyObject, path: string, what: string): Result<KeyObject> {
  return k.asymmetricKeyType === 'ed25519'
    ? ok(k)
    : ceirError('CEIR_ERR_INPUT_FILE', `${path} is a ${k.asymmetricKeyType} ${what}, not Ed25519`);
}

/** Loads a PKCS#8 PEM private key. */
export function loadPrivateKey(path: string): Result<KeyObject> {
  const pem = readKey(path, 'private key');
  if (pem.kind !== 'ok') return pem;
  try {
    return asEd25519(createPrivateKey(pem.value), path, 'private key');
  } catch (e) {
    return ceirError(
      'CEIR_ERR_INPUT_FILE',
      `Cannot parse private key ${path}: ${(e as Error).message}`,
    );
  }
}

/** Loads an SPKI PEM public key (a PEM private key also yields its public half). */
export function loadPublicKey(path: string): Result<KeyObject> {
  const pem = readKey(path, 'public key');
  if (pem.kind !== 'ok') return pem;
  return parsePublicKey(pem.value, path);
}

/** Parses an SPKI PEM public key; `source` names it in errors. */
export function parsePublicKey(pem: string, source = 'public key'): Result<KeyObject> {
  try {
    return asEd25519(createPublicKey(pem), source, 'public key');
  } catch (e) {
    return ceirError(
      'CEIR_ERR_INPUT_FILE',
      `Cannot parse public key ${source}: ${(e as Error).message}`,
    );
  }
}
