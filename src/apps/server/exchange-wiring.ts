/**
 * Wires the exchange to this deployment: the country key is the regulator's Ed25519 list
 * signing key (`listgen/keys.ts`, `ceir keys generate`), used through the same sign and verify
 * functions as list manifests; each configured peer gets a verifier of its public key.
 */
import { dirname, resolve } from 'node:path';
import type { Config } from '../../config/loader.js';
import { ceirError, CeirFailure } from '../../core/errors.js';
import type { ExchangeStore } from '../../core/ports/exchange-store.js';
import type { Store } from '../../core/ports/store.js';
import type { BatchSigner, BatchVerifier } from '../../exchange/batch-format.js';
import type { Peer } from '../../exchange/pull.js';
import {
  keyId,
  listKeyPaths,
  loadPrivateKey,
  loadPublicKey,
  signManifest,
  verifyManifestSignature,
} from '../../listgen/index.js';
import type { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { DuckDbExchangeStore } from '../../store/duckdb/exchange.js';

function must<T>(r: { kind: 'ok'; value: T } | import('../../core/errors.js').CeirError): T {
  if (r.kind !== 'ok') throw new CeirFailure(r);
  return r.value;
}

/** The country signer: `<data>/keys/lists-ed25519.pem`. */
export function countrySigner(dataDir: string): BatchSigner {
  const paths = listKeyPaths(dataDir);
  const privateKey = must(loadPrivateKey(paths.privateKey));
  const publicKey = must(loadPublicKey(paths.publicKey));
  return { keyId: keyId(publicKey), sign: (data) => signManifest(data, privateKey) };
}

/** The configured peers, their public keys read relative to the config file. */
export function configuredPeers(config: Config, configPath: string): Peer[] {
  return config.exchange.peers.map((p) => {
    const key = must(loadPublicKey(resolve(dirname(configPath), p.public_key)));
    const verifier: BatchVerifier = {
      keyId: keyId(key),
      verify: (data, sig) => verifyManifestSignature(data, sig, key),
    };
    return { peer: p.id, country: p.country, trust: p.trust, url: p.url, verifier };
  });
}

/** This country's code; publishing and notices need it. */
export function ourCountry(config: Config): string {
  const c = config.exchange.country;
  if (!c)
    throw new CeirFailure(
      ceirError('CEIR_ERR_CONFIG', 'exchange.country is not set: the feed needs this country code'),
    );
  return c;
}

/** The exchange store of the opened store (the DuckDB adapter). */
export function exchangeStoreOf(store: Store): ExchangeStore {
  return new DuckDbExchangeStore((store as DuckDbStore).db);
}
