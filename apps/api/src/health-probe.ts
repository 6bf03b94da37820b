import { loadConfig } from '@crm/platform/config';

type Env = Readonly<Record<string, string | undefined>>;

/** Where this container's own process answers readiness: its HOST and PORT, loopback for a wildcard. */
export function readinessUrl(env: Env): string {
  const { host, port } = loadConfig(env);
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}/health/ready`;
}

/**
 * Whether the process (API or worker) answers GET /health/ready with 200
 * within `timeoutMs`: the container image's HEALTHCHECK, which needs no curl.
 */
export async function isReady(env: Env, timeoutMs = 4000): Promise<boolean> {
  try {
    const response = await fetch(readinessUrl(env), { signal: AbortSignal.timeout(timeoutMs) });
    return response.status === 200;
  } catch {
    return false;
  }
}
