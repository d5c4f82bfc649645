/**
 * Requests and responses of the web UI. They have the same shape as the JSON API's (the web layer
 * may not import `api`), so the composition root passes the API's `handle` in as `ApiCall`.
 */

export interface WebRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
  readonly ip: string;
}

export interface WebResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  /** JSON value, or raw text / bytes when `raw`. */
  readonly body: unknown;
  readonly raw?: boolean;
}

/** The JSON API, called in process (`Api.handle`). */
export type ApiCall = (req: WebRequest) => Promise<WebResponse>;
