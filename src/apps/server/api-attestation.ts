/**
 * The attestation API (issue 8, docs/attestation.md: `POST /attestation/challenges` and
 * `/attestation/submissions`) mounted in the people API server of `ceir serve`, in front of the
 * API's own routes. The verifier is set up from the `attestation:` config section once; the
 * store is opened per job through serve's `withStore`, like the API's other routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AttestationService } from '../../attestation/index.js';
import type {
  AttestationRecord,
  AttestationStore,
  ChallengeUse,
} from '../../core/ports/attestation-store.js';
import type { Store } from '../../core/ports/store.js';
import { CeirFailure } from '../../core/errors.js';
import { DuckDbAttestationStore } from '../../store/duckdb/attestations.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { CliContext } from '../cli/cli-context.js';
import { attestationSetup } from '../attestation-setup.js';
import { attestationHttpHandler, type HttpHandler } from './attestation-http.js';

type WithStore = <T>(fn: (store: Store) => Promise<T>) => Promise<T>;
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The DuckDB attestation store, opened per call through `withStore`. */
class AttestationStoreByJob implements AttestationStore {
  constructor(private readonly withStore: WithStore) {}

  private run<T>(fn: (a: DuckDbAttestationStore) => Promise<T>): Promise<T> {
    return this.withStore((s) => {
      if (!(s instanceof DuckDbStore)) throw new Error('Attestations are kept in the DuckDB store');
      return fn(new DuckDbAttestationStore(s.db));
    });
  }

  addChallenge(challenge: string, issuedAt: number, expiresAt: number): Promise<void> {
    return this.run((a) => a.addChallenge(challenge, issuedAt, expiresAt));
  }
  useChallenge(challenge: string, now: number): Promise<ChallengeUse> {
    return this.run((a) => a.useChallenge(challenge, now));
  }
  addAttestation(r: AttestationRecord): Promise<void> {
    return this.run((a) => a.addAttestation(r));
  }
  attestationsOf(imeiNorm: string): Promise<AttestationRecord[]> {
    return this.run((a) => a.attestationsOf(imeiNorm));
  }
  attestedImeis(): Promise<Float64Array> {
    return this.run((a) => a.attestedImeis());
  }
}

/** The attestation handler of `ceir serve` (throws CeirFailure on a bad `attestation:` section). */
export function attestationForServe(ctx: CliContext, withStore: WithStore): HttpHandler {
  const setup = attestationSetup(ctx.config.attestation, ctx.configPath);
  if (setup.kind !== 'ok') throw new CeirFailure(setup);
  return attestationHttpHandler(
    new AttestationService(new AttestationStoreByJob(withStore), setup.value),
  );
}

/** A listener answering the attestation paths first and passing every other request to `rest`. */
export function withAttestation(attestation: HttpHandler, rest: Listener): Listener {
  return (req, res) => {
    attestation(req, res).then(
      (handled) => {
        if (!handled) rest(req, res);
      },
      (e: unknown) => {
        if (res.headersSent) res.destroy();
        else
          res
            .writeHead(500, { 'content-type': 'application/problem+json' })
            .end(JSON.stringify({ status: 500, title: 'attestation failed', detail: String(e) }));
      },
    );
  };
}
