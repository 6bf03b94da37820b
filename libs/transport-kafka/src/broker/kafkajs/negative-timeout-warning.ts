import { sep } from 'node:path';

let installed = false;

/**
 * kafkajs 2.2.4 arms a timer with a negative delay when a connection's
 * request queue is first checked (its `throttledUntil` starts at -1:
 * tulios/kafkajs#1751, fixed upstream but never released). Node has always
 * run such a timer after 1 ms; since Node 23 it also prints a
 * `TimeoutNegativeWarning` on stderr, which every relay and projector did at
 * its first connection. This drops that warning when kafkajs raised it; any
 * other warning goes out as before. Node warns about a negative timer once
 * per process. Remove it with kafkajs (docs/kafka.md weighs its replacement).
 */
export function ignoreKafkajsNegativeTimeouts(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process);
  // The package, not this folder (broker/kafkajs/).
  const kafkajsFrame = `${sep}node_modules${sep}kafkajs${sep}`;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (rest[0] === 'TimeoutNegativeWarning' && new Error().stack?.includes(kafkajsFrame)) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
}
