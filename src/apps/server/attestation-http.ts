/**
 * The attestation API over node:http, framework-neutral: a handler `(req, res) => handled` that
 * any HTTP/1.1 server (the API server, `ceir serve`) mounts. JSON in, JSON out.
 *
 * - `POST <base>/challenges` (no body): 201 `{challenge, expires_at}`.
 * - `POST <base>/submissions` with `{challenge, chain, claimed_imei?, claimed_imsi?, client?}`;
 *   `chain` is PEM text or an array of base64 DER certificates, leaf first. 201 with
 *   `{id, verdict, accepted: true, reasons, attested_imeis, imei_mismatch}` when the policy
 *   accepts it; 422 (CEIR_ERR_ATTESTATION) with the same fields when it is invalid or refused;
 *   409 (CEIR_ERR_CHALLENGE) for an unknown, used or expired challenge; 400 for a bad body;
 *   413 above `maxBodyBytes`; 405 for another method.
 * Errors are `application/problem+json` (RFC 9457) with the catalogue `code`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttestationService, SubmissionOutcome } from '../../attestation/index.js';
import { ErrorCatalogue, type ErrorCode } from '../../core/errors.js';

export interface AttestationHttpOptions {
  /** Path prefix (default `/attestation`). */
  readonly basePath?: string;
  /** Largest accepted body (default 256 KiB: a chain is 3-10 KiB). */
  readonly maxBodyBytes?: number;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

class BodyTooLarge extends Error {}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function problem(
  res: ServerResponse,
  code: ErrorCode,
  detail: string,
  extra: object = {},
  status: number = ErrorCatalogue[code].http,
) {
  send(
    res,
    status,
    { type: 'about:blank', title: ErrorCatalogue[code].summary, status, code, detail, ...extra },
    'application/problem+json',
  );
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) throw new BodyTooLarge();
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const optionalString = (o: Record<string, unknown>, k: string): string | undefined | null => {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : null;
};

function outcomeBody(o: SubmissionOutcome) {
  const r = o.report;
  return {
    id: o.id,
    verdict: r.verdict,
    accepted: r.accepted,
    reasons: r.reasons,
    attested_imeis: r.attestedImeis,
    imei_mismatch: o.imeiMismatch,
    key_description: r.verification.keyDescription,
  };
}

/** The handler; it answers requests under `basePath` and returns false for any other path. */
export function attestationHttpHandler(
  service: AttestationService,
  options: AttestationHttpOptions = {},
): HttpHandler {
  const base = (options.basePath ?? '/attestation').replace(/\/$/, '');
  const max = options.maxBodyBytes ?? 256 * 1024;
  return async (req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const route =
      path === `${base}/challenges`
        ? 'challenge'
        : path === `${base}/submissions`
          ? 'submit'
          : null;
    if (!route) return false;
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      problem(res, 'CEIR_ERR_USAGE', `${req.method} is not allowed here: use POST`, {}, 405);
      return true;
    }
    let text: string;
    try {
      text = await readBody(req, max);
    } catch (e) {
      if (e instanceof BodyTooLarge)
        problem(res, 'CEIR_ERR_USAGE', `body larger than ${max} bytes`, {}, 413);
      else problem(res, 'CEIR_ERR_USAGE', `cannot read the body: ${(e as Error).message}`);
      return true;
    }
    if (route === 'challenge') {
      const c = await service.issueChallenge();
      send(res, 201, { challenge: c.challenge, expires_at: c.expiresAt });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      problem(res, 'CEIR_ERR_USAGE', `body is not JSON: ${(e as Error).message}`);
      return true;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      problem(res, 'CEIR_ERR_USAGE', 'body must be a JSON object');
      return true;
    }
    const o = body as Record<string, unknown>;
    const chain = o.chain;
    const chainOk =
      typeof chain === 'string' ||
      (Array.isArray(chain) && chain.length > 0 && chain.every((c) => typeof c === 'string'));
    const fields = ['challenge', 'claimed_imei', 'claimed_imsi', 'client'].map((k) => [
      k,
      optionalString(o, k),
    ]);
    const badField = fields.find(([, v]) => v === null);
    if (typeof o.challenge !== 'string' || !chainOk || badField) {
      problem(
        res,
        'CEIR_ERR_USAGE',
        badField
          ? `field "${badField[0]}" must be a string`
          : 'expected {"challenge": string, "chain": PEM string or [base64 DER, ...]}',
      );
      return true;
    }
    const v = Object.fromEntries(fields) as Record<string, string | undefined>;
    const r = await service.submit({
      challenge: o.challenge,
      chain: chain as string | string[],
      ...(v.claimed_imei !== undefined ? { claimedImei: v.claimed_imei } : {}),
      ...(v.claimed_imsi !== undefined ? { claimedImsi: v.claimed_imsi } : {}),
      ...(v.client !== undefined ? { client: v.client } : {}),
    });
    if (r.kind !== 'ok') {
      problem(res, r.code, r.message);
      return true;
    }
    if (r.value.report.accepted) send(res, 201, outcomeBody(r.value));
    else
      problem(
        res,
        'CEIR_ERR_ATTESTATION',
        `attestation ${r.value.report.verdict}${r.value.report.verdict === 'weak' ? ', refused by the strict policy' : ''}`,
        outcomeBody(r.value),
      );
    return true;
  };
}
