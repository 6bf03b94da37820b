import { toCrmEvent } from '@crm/domain';
import { fixtureEvents } from '../../testing/crm-fixture';
import type { ProjectedEvent } from '../projected-event';
import type { Evolve } from './projection-log.fixture';

/** A batch fold: the same document as `events.reduce(evolve, doc)`. */
export type Fold<D> = (doc: D | null, events: readonly ProjectedEvent[]) => D | null;

/** A deterministic source of numbers in [0, 1), so a failing case can be replayed. */
export type Random = () => number;

/** mulberry32: small, fast and good enough to pick test cases. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomInt(random: Random, below: number): number {
  return Math.floor(random() * below);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[randomInt(random, items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** Freezes a value and everything in it, so any write to it in strict mode throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Cuts a list at random points into consecutive batches (some may be empty). */
export function randomBatches<T>(items: readonly T[], random: Random): T[][] {
  const cuts = Array.from({ length: 1 + randomInt(random, 6) }, () => randomInt(random, items.length + 1));
  const bounds = [0, ...cuts.sort((a, b) => a - b), items.length];
  return bounds.slice(1).map((end, index) => items.slice(bounds[index], end));
}

/** The document after each event, applied one event at a time (the live path's evolve), frozen. */
export function stepwise<D>(
  evolve: Evolve<D>,
  events: readonly ProjectedEvent[],
  from: D | null = null,
): (D | null)[] {
  const steps: (D | null)[] = [];
  let doc = from;
  for (const e of events) {
    doc = deepFreeze(evolve(doc, e));
    steps.push(doc);
  }
  return steps;
}

/**
 * The hand-checked fixture (test/fixtures) as the runner sees it: each
 * customer's events in log order, positions following the file (it is
 * appended one event at a time). Frozen.
 */
export function fixtureStreams(): ReadonlyMap<string, readonly ProjectedEvent[]> {
  const streams = new Map<string, ProjectedEvent[]>();
  fixtureEvents().forEach((line, index) => {
    const event = toCrmEvent({ ...line, version: 1, metadata: FIXTURE_METADATA });
    const stream = streams.get(line.customerId) ?? [];
    stream.push(deepFreeze({ event, position: index + 1 }));
    streams.set(line.customerId, stream);
  });
  return streams;
}

const FIXTURE_METADATA = { correlationId: 'fixture', causationId: null, actor: 'fixture', source: 'fixture' };

/**
 * Asserts that a batch fold gives what applying one event at a time gives
 * (`evolve`, the live path) on one customer's events: in one call, in random
 * batches, and from the documents of part of the history (as stored by an
 * earlier run). What the documents should hold is checked elsewhere: against
 * the independent Python values of the hand-checked fixture (test/fixtures,
 * through the read routes and time travel) and by each projection's specs.
 * Inputs are frozen, so a fold that writes to them throws. Compares the JSON
 * too, so the stored form (key order included) is the same.
 */
export function expectFoldMatchesStepwise<D>(
  fold: Fold<D>,
  evolve: Evolve<D>,
  events: readonly ProjectedEvent[],
  random: Random,
  label: string,
): void {
  deepFreeze(events);
  const steps = stepwise(evolve, events);
  const expected = (count: number): D | null => (count === 0 ? null : (steps[count - 1] ?? null));
  expectSame(fold(null, events), expected(events.length), `${label}: one call`);
  for (let round = 0; round < 3; round++) {
    let doc: D | null = null;
    let folded = 0;
    for (const batch of randomBatches(events, random)) {
      doc = deepFreeze(fold(doc, batch));
      folded += batch.length;
      expectSame(doc, expected(folded), `${label}: batches, after ${folded} events`);
    }
  }
  for (let round = 0; round < 3; round++) {
    const midway = randomInt(random, events.length + 1);
    const rest = events.slice(midway);
    expectSame(fold(expected(midway), rest), expected(events.length), `${label}: from event ${midway}`);
  }
}

export function expectSame<D>(actual: D | null, expected: D | null, label: string): void {
  expect({ label, doc: actual }).toStrictEqual({ label, doc: expected });
  expect({ label, json: JSON.stringify(actual) }).toEqual({ label, json: JSON.stringify(expected) });
}
