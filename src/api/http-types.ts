/** A request and a response of the API, independent of node:http (tests call the app in process). */

export interface ApiRequest {
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

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  /** JSON value (serialised by the adapter), or raw bytes / text with their content type set. */
  readonly body: unknown;
  /** `body` is raw (Uint8Array or string), not JSON. */
  readonly raw?: boolean;
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): ApiResponse {
  return { status, headers, body };
}
