/** Query parameters that carry credentials, by name (case and `-`/`_` ignored). */
const SECRET_PARAMS = new Set([
  'apikey',
  'xapikey',
  'key',
  'token',
  'accesstoken',
  'auth',
  'authorization',
  'bearer',
  'password',
  'secret',
  'clientsecret',
  'signature',
]);

/** A key of ours wherever it appears (a path segment, a parameter of another name). */
const API_KEY_ANYWHERE = /crm_[0-9a-fA-F]{16}_[A-Za-z0-9_-]+/g;

export const REDACTED = '[REDACTED]';

/**
 * The URL as it may be logged: values of credential parameters (`?api_key=`,
 * `?token=`, …) and anything shaped like one of our keys are replaced, so a
 * key sent in the wrong place never lands in the logs.
 */
export function redactUrl(url: string): string {
  const withoutKeys = url.replace(API_KEY_ANYWHERE, REDACTED);
  const queryStart = withoutKeys.indexOf('?');
  if (queryStart < 0) return withoutKeys;
  const query = withoutKeys
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      if (!SECRET_PARAMS.has(normalise(rawName))) return pair;
      return `${rawName}=${REDACTED}`;
    })
    .join('&');
  return `${withoutKeys.slice(0, queryStart)}?${query}`;
}

function normalise(name: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // A malformed escape: compare the name as sent.
  }
  return decoded.toLowerCase().replace(/[-_\s]/g, '');
}
