/**
 * One HTTP request and its response, independent of node:http: the JSON API handles them and the
 * web UI calls the API with them in process (tests too), so both layers share these shapes.
 */

export interface HttpRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
  /** The client address (audit "from where", rate limits). */
  readonly ip: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  /** JSON value (serialised by the adapter), or raw bytes / text with their content type set. */
  readonly body: unknown;
  /** `body` is raw (Uint8Array or string), not JSON. */
  readonly raw?: boolean;
}
