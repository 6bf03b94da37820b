/** Events applied per second over the last `windowMs`, from the units a runner commits. */
export class RateMeter {
  private readonly samples: { at: number; events: number }[] = [];

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 60_000,
    private readonly startedAt = now(),
  ) {}

  record(events: number): void {
    this.samples.push({ at: this.now(), events });
    this.forgetOld();
  }

  perSecond(): number {
    this.forgetOld();
    const now = this.now();
    const covered = Math.min(this.windowMs, now - this.startedAt);
    if (covered <= 0) return 0;
    const events = this.samples.reduce((sum, sample) => sum + sample.events, 0);
    return events / (covered / 1000);
  }

  private forgetOld(): void {
    const from = this.now() - this.windowMs;
    while (this.samples.length > 0 && (this.samples[0]?.at ?? from) < from) this.samples.shift();
  }
}
