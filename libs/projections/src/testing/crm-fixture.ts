import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { customerStreamId, type EventMetadata } from '@crm/domain';
import type { EventStore } from '@crm/event-store';

/** The hand-checked fixture under test/fixtures (see its README for what it covers). */
export const FIXTURE_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');

export type FixtureLine = {
  readonly customerId: string;
  readonly type: string;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
};

const METADATA: EventMetadata = {
  correlationId: 'fixture',
  causationId: null,
  actor: 'fixture',
  source: 'fixture',
};

export function fixtureEvents(): FixtureLine[] {
  return readFileSync(join(FIXTURE_DIR, 'crm-fixture.events.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureLine);
}

export function fixtureExpected<T>(): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'crm-fixture.expected.json'), 'utf8')) as T;
}

/** Appends the fixture in its log order, one event per append, so positions follow the file. */
export async function loadFixture(
  store: EventStore,
  lines: readonly FixtureLine[] = fixtureEvents(),
): Promise<void> {
  for (const line of lines) {
    await store.append(customerStreamId(line.customerId), [
      {
        eventId: line.eventId,
        type: line.type,
        version: 1,
        occurredAt: line.occurredAt,
        data: line.data,
        metadata: METADATA,
      },
    ]);
  }
}
