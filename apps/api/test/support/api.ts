import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app';

/*
 * The API as a client sees it on the wire. Declared here rather than imported
 * from the libs so that a change to a response class cannot silently change
 * what the tests expect.
 */

export type ErrorDetailBody = { readonly field: string; readonly code: string; readonly message: string };

export type ErrorResponseBody = {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly details: readonly ErrorDetailBody[];
};

export type RecordedBody = {
  readonly customerId: string;
  readonly eventId: string;
  readonly type: string;
  readonly streamRevision: number;
  readonly globalPosition: number;
};

export type StoredEventBody = {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly streamRevision: number;
  readonly globalPosition: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
};

export type EventsBody = {
  readonly customerId: string;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly events: readonly StoredEventBody[];
  readonly nextRevision: number | null;
};

export type BatchItemBody = {
  readonly index: number;
  readonly status: 'created' | 'duplicate' | 'rejected';
  readonly customerId?: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly streamRevision?: number;
  readonly globalPosition?: number;
  readonly error?: ErrorResponseBody;
};

export type BatchBody = {
  readonly created: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly items: readonly BatchItemBody[];
};

export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

/** A customer id no other test uses, so suites can share one app. */
export function newCustomerId(prefix = 'cust'): string {
  return `${prefix}-${randomUUID()}`;
}

export function customerPath(customerId: string, suffix = ''): string {
  return `/customers/${encodeURIComponent(customerId)}${suffix}`;
}

/** Registers a person and returns its id; fails the test on anything but 201. */
export async function registerCustomer(
  app: TestApp,
  customerId: string = newCustomerId(),
  extra: Readonly<Record<string, unknown>> = {},
): Promise<string> {
  const response = await app.post<RecordedBody | ErrorResponseBody>('/customers', {
    kind: 'person',
    name: 'Test Customer',
    customerId,
    ...extra,
  });
  if (response.statusCode !== 201) {
    throw new Error(
      `Registering ${customerId} failed: ${response.statusCode} ${JSON.stringify(response.body)}`,
    );
  }
  return customerId;
}

/** Records one touchpoint and returns the 201 body; fails the test otherwise. */
export async function recordTouchpoint(
  app: TestApp,
  customerId: string,
  body: Readonly<Record<string, unknown>>,
  headers?: Record<string, string>,
): Promise<RecordedBody> {
  const response = await app.post<RecordedBody | ErrorResponseBody>(
    customerPath(customerId, '/touchpoints'),
    body,
    headers,
  );
  if (response.statusCode !== 201) {
    throw new Error(
      `Recording ${String(body.type)} failed: ${response.statusCode} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body as RecordedBody;
}

/** The whole stream (one page of up to 1,000 events); fails the test unless it exists. */
export async function readEvents(app: TestApp, customerId: string): Promise<EventsBody> {
  const response = await app.get<EventsBody | ErrorResponseBody>(customerPath(customerId, '/events'));
  if (response.statusCode !== 200) {
    throw new Error(`Reading ${customerId} failed: ${response.statusCode} ${JSON.stringify(response.body)}`);
  }
  return response.body as EventsBody;
}

/** The last event of a stream. */
export async function lastEvent(app: TestApp, customerId: string): Promise<StoredEventBody> {
  const { events } = await readEvents(app, customerId);
  const last = events[events.length - 1];
  if (!last) throw new Error(`Stream of ${customerId} is empty`);
  return last;
}

/** What a stream looks like from outside: enough to prove that a request appended nothing. */
export type StreamSnapshot = {
  readonly statusCode: number;
  readonly streamRevision: number | null;
  readonly eventIds: readonly string[];
};

export async function streamSnapshot(app: TestApp, customerId: string): Promise<StreamSnapshot> {
  const response = await app.get<EventsBody | ErrorResponseBody>(customerPath(customerId, '/events'));
  if (response.statusCode === 200) {
    const body = response.body as EventsBody;
    return {
      statusCode: 200,
      streamRevision: body.streamRevision,
      eventIds: body.events.map((event) => event.eventId),
    };
  }
  return { statusCode: response.statusCode, streamRevision: null, eventIds: [] };
}

/** Asserts the stream has the same revision and the same events as in `before`. */
export async function expectUnchanged(
  app: TestApp,
  customerId: string,
  before: StreamSnapshot,
): Promise<void> {
  expect(before.statusCode).toBe(200);
  expect(await streamSnapshot(app, customerId)).toEqual(before);
}

/** Asserts that no stream exists for the customer: reading it is still a 404. */
export async function expectNoStream(app: TestApp, customerId: string): Promise<void> {
  const response = await app.get<ErrorResponseBody>(customerPath(customerId, '/events'));
  expect(response.statusCode).toBe(404);
  expect(response.body.code).toBe('CUSTOMER.NOT_FOUND');
}

/** The fields of an error detail a test cares about. */
export function fieldsOf(error: ErrorResponseBody): string[] {
  return error.details.map((detail) => detail.field);
}

/** Asserts the common error shape and that the body's statusCode matches the HTTP status. */
export function expectError(
  response: { readonly statusCode: number; readonly body: unknown },
  statusCode: number,
  code: string,
): ErrorResponseBody {
  const body = response.body as ErrorResponseBody;
  expect({ status: response.statusCode, code: body.code }).toEqual({ status: statusCode, code });
  expect(body.statusCode).toBe(statusCode);
  expect(typeof body.message).toBe('string');
  expect(Array.isArray(body.details)).toBe(true);
  return body;
}
