import type { CliIo } from '../cli-command';

const BAR_WIDTH = 30;
const TTY_EVERY_MS = 100;
const LINE_EVERY_MS = 2000;

/**
 * Progress on stderr: a bar redrawn in place on a terminal, a plain line
 * every couple of seconds otherwise (logs, CI). stdout stays for data.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDrawn = -Infinity;
  private drewBar = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
  ) {}

  /** `total` null when unknown (no bar, just a count and a rate). */
  update(done: number, total: number | null): void {
    const now = performance.now();
    if (now - this.lastDrawn < (this.io.interactive ? TTY_EVERY_MS : LINE_EVERY_MS)) return;
    this.lastDrawn = now;
    const rate = `${formatRate(done, this.seconds())}/s`;
    if (this.io.interactive) {
      const share = total === null || total === 0 ? null : Math.min(1, done / total);
      const bar =
        share === null ? '' : `[${'#'.repeat(Math.round(share * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] `;
      const count = total === null ? `${done}` : `${done}/${total}`;
      this.io.stderr.write(`\r${this.label} ${bar}${count} ${rate}\u001b[K`);
      this.drewBar = true;
    } else {
      const count = total === null ? `${done}` : `${done}/${total}`;
      this.io.stderr.write(`${this.label}: ${count} (${rate})\n`);
    }
  }

  /** Ends the bar and prints the summary line(s). */
  finish(lines: readonly string[]): void {
    if (this.drewBar) this.io.stderr.write('\n');
    for (const line of lines) this.io.stderr.write(`${line}\n`);
  }

  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}

export function formatRate(count: number, seconds: number): string {
  return seconds <= 0 ? `${count}` : `${Math.round(count / seconds)}`;
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
