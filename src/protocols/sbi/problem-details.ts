/**
 * ProblemDetails, 3GPP TS 29.571 §5.2.4.1 (RFC 7807 with the 3GPP `cause` and `invalidParams`),
 * carried as `application/problem+json` (TS 29.500 §5.2.7.2). Pure: builds JSON text only.
 */

/** Media type of every SBI error body. */
export const PROBLEM_JSON = 'application/problem+json';

/** Media type of SBI success bodies. */
export const APPLICATION_JSON = 'application/json';

/** TS 29.571 InvalidParam: `param` is e.g. `query pei`; `reason` is human-readable. */
export interface InvalidParam {
  readonly param: string;
  readonly reason?: string;
}

/** The subset of TS 29.571 ProblemDetails an NF producer fills in. */
export interface ProblemDetails {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly cause?: string;
  /** `minItems: 1` in TS 29.571: never present and empty. */
  readonly invalidParams?: readonly InvalidParam[];
  readonly supportedFeatures?: string;
}

/** RFC 9110 reason phrases, used as the ProblemDetails `title`. */
export const HTTP_REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  411: 'Length Required',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface ProblemInput {
  readonly cause?: string;
  readonly detail?: string;
  readonly invalidParams?: readonly InvalidParam[];
  readonly instance?: string;
  readonly title?: string;
}

/**
 * The ProblemDetails object of an error response: `status` always, `title` from the status,
 * `cause`/`detail`/`invalidParams`/`instance` when given. An empty `invalidParams` is dropped.
 */
export function problemDetails(status: number, input: ProblemInput = {}): ProblemDetails {
  const title = input.title ?? HTTP_REASON[status];
  return {
    ...(title !== undefined ? { title } : {}),
    status,
    ...(input.detail !== undefined ? { detail: input.detail } : {}),
    ...(input.instance !== undefined ? { instance: input.instance } : {}),
    ...(input.cause !== undefined ? { cause: input.cause } : {}),
    ...(input.invalidParams !== undefined && input.invalidParams.length > 0
      ? { invalidParams: input.invalidParams.map(copyParam) }
      : {}),
  };
}

/** The JSON text of {@link problemDetails}. */
export function encodeProblemDetails(status: number, input: ProblemInput = {}): string {
  return JSON.stringify(problemDetails(status, input));
}

function copyParam(p: InvalidParam): InvalidParam {
  return p.reason !== undefined ? { param: p.param, reason: p.reason } : { param: p.param };
}
