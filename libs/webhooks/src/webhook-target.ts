import { isIP } from 'node:net';

/**
 * Whether a URL may be a webhook target: https, or http to a loopback host
 * (127.0.0.0/8, ::1, localhost) unless plain http is allowed everywhere
 * (WEBHOOK_ALLOW_INSECURE_TARGETS). No credentials in the URL: they would
 * be listed to every admin. Returns the problem, or null.
 */
export function targetProblem(raw: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hash !== '') return 'must not have a fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return 'must be https (or http to a loopback host)';
  if (allowInsecure || isLoopback(url.hostname)) return null;
  return 'must be https: plain http is allowed only to a loopback host (127.0.0.1, ::1, localhost)';
}

function isLoopback(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && host === '::1';
}
