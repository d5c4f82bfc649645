/**
 * What a route declares: method, path, the roles allowed, its request and response schemas (JSON
 * Schema, the same objects the OpenAPI document at /openapi.json is made of and the request
 * validator uses), and its handler.
 */
import type { Role } from '../core/ports/people-store.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import type { ApiDeps } from './api-deps.js';
import type { Authenticator } from './auth.js';

export type Schema = Record<string, unknown>;

/** Who is calling. `subject`: a user id, `msisdn:<digits>` for a subscriber, `public`. */
export interface Principal {
  readonly role: Role;
  readonly subject: string;
  readonly username?: string;
  readonly operator?: string | null;
  readonly msisdn?: string;
  readonly sessionId?: string;
  readonly via: 'none' | 'cookie' | 'bearer-session' | 'api-key';
}

export interface RouteContext {
  readonly req: ApiRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body (validated), the text of a CSV body, or the bytes of a binary body. */
  readonly body: unknown;
  readonly principal: Principal;
  readonly deps: ApiDeps;
  /** Session and key caches (logout, key reset). */
  readonly auth: Authenticator;
  /** What the automatic audit entry names (target and facts); set by the handler. */
  audit: { target: string; detail: Record<string, unknown> };
}

export type BodySpec =
  | { readonly type: 'json'; readonly schema: Schema }
  | { readonly type: 'csv' }
  | { readonly type: 'binary' };

export interface ResponseSpec {
  readonly description: string;
  /** JSON body schema; omitted with `contentType` for raw bodies. */
  readonly schema?: Schema;
  readonly contentType?: string;
}

export interface RouteDef {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  /** Roles allowed; `public` means anyone, logged in or not. */
  readonly roles: readonly Role[];
  /** Query parameters (all strings). */
  readonly query?: {
    readonly properties: Record<string, Schema>;
    readonly required?: readonly string[];
  };
  readonly body?: BodySpec;
  /** Success responses by status (errors are added to every route). */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** The response carries personal data (IMSI, MSISDN): every read is audited. */
  readonly personalData?: boolean;
  /** Audited as a change (default: every POST and DELETE). */
  readonly audited?: boolean;
  /** Rate-limited per client even when logged in (public routes always are). */
  readonly limited?: boolean;
  handler(c: RouteContext): Promise<ApiResponse>;
}
