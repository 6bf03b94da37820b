import { forgetKey, storedKey } from './session';

/** The API's one error shape: `{ statusCode, code, message, details }`. */
export type ErrorBody = {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly details: readonly { readonly field: string; readonly code: string; readonly message: string }[];
};

/** A refused or failed call, with what a person should read about it. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorBody['details'] = [],
  ) {
    super(message);
    this.name = 'ApiCallError';
  }

  /** What the console says, in plain words, for the statuses a person can act on. */
  get explanation(): string {
    if (this.status === 401)
      return 'The API key was not accepted (missing, mistyped or revoked). Enter a valid key to continue.';
    if (this.status === 403) {
      const why = this.details.find((detail) => detail.field === 'roles')?.message ?? this.message;
      return `This API key may not do that (${why}). Ask an administrator for a key with that role.`;
    }
    if (this.status === 0) return `The API did not answer: ${this.message}`;
    const detail = this.details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return detail === '' ? this.message : `${this.message} (${detail})`;
  }
}

/** Told when the key stops working, so the console can ask for another. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(listener: () => void): void {
  onUnauthorized = listener;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

export type Query = Readonly<Record<string, string | number | null | undefined>>;

/** `/path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** A call to the API on this origin with the session's key; an error answer throws ApiCallError. */
export async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { readonly query?: Query; readonly body?: unknown; readonly key?: string } = {},
): Promise<T> {
  const key = options.key ?? storedKey();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiCallError(0, 'NETWORK', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  const body: unknown = text === '' ? null : JSON.parse(text);
  if (response.ok) return body as T;
  const error = isErrorBody(body)
    ? new ApiCallError(response.status, body.code, body.message, body.details)
    : new ApiCallError(response.status, 'HTTP', `${response.status} ${response.statusText}`);
  if (response.status === 401 && options.key === undefined) {
    forgetKey();
    onUnauthorized();
  }
  throw error;
}

export const get = <T>(path: string, query?: Query): Promise<T> => call<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown): Promise<T> => call<T>('POST', path, { body });

/** A path segment from a value a person typed or a list returned. */
export const segment = (value: string): string => encodeURIComponent(value);
