/**
 * Reads waiting for a log position (read-your-writes): each resolves true
 * once `position()` reaches its position, or false after its timeout. The
 * owner calls `wake` whenever the position may have moved.
 */
export class PositionWaiters {
  private readonly waiters = new Set<() => void>();

  constructor(private readonly position: () => number) {}

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.position() < position) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  wake(): void {
    for (const check of [...this.waiters]) check();
  }
}
