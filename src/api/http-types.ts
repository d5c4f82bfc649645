/** A request and a response of the API (`core/ports/http-exchange.ts`; tests call the app in process). */
import type { HttpRequest, HttpResponse } from '../core/ports/http-exchange.js';

export type ApiRequest = HttpRequest;
export type ApiResponse = HttpResponse;

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): ApiResponse {
  return { status, headers, body };
}
