/** What a check may add to its entry in the readiness report (positions, states). */
export type CheckDetails = Readonly<Record<string, unknown>>;

/** Resolves (optionally with details) when the dependency is usable; throws when it is not. */
export type ReadinessCheck = () => Promise<CheckDetails | void>;

export type CheckResult =
  ({ readonly status: 'up' } & CheckDetails) | { readonly status: 'down'; readonly reason: string };

export type ReadinessReport = {
  readonly status: 'up' | 'down';
  readonly checks: Readonly<Record<string, CheckResult>>;
};

/** A check's own verdict, with a reason safe to show publicly. */
export class NotReadyError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotReadyError';
  }
}

/** A check that has not answered by then counts as down. */
export const CHECK_TIMEOUT_MS = 2000;

/**
 * The dependencies `GET /health/ready` asks about. Each engine's wiring
 * registers its own check (event store, read store, projections; later
 * Kafka, MongoDB), so readiness grows with the configuration.
 */
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** `onDown` hears about every failed check with the full error (the report shows only a reason). */
  constructor(private readonly onDown: (name: string, error: unknown) => void = () => undefined) {}

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`A readiness check named ${name} is registered already`);
    this.checks.set(name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs every check at once; the report is up only when every check is. */
  async run(timeoutMs = CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, check]) => [name, await this.settle(name, check, timeoutMs)] as const,
      ),
    );
    return {
      status: entries.every(([, result]) => result.status === 'up') ? 'up' : 'down',
      checks: Object.fromEntries(entries),
    };
  }

  private async settle(name: string, check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new NotReadyError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const details = await Promise.race([check(), timeout]);
      return { ...(details ?? {}), status: 'up' };
    } catch (error) {
      this.onDown(name, error);
      return { status: 'down', reason: reasonOf(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The public report names the error's stable code (or its class), never a
 * driver's message: those can hold file paths or hosts.
 */
function reasonOf(error: unknown): string {
  if (error instanceof NotReadyError) return error.reason;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
