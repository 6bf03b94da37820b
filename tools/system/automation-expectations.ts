import { createHash } from 'node:crypto';

/**
 * What the automations must have added to a log, computed from the log
 * alone and apart from libs/automations (the contract in
 * docs/automations.md written out again): every SupportCaseResolved gets
 * one SurveyRequested; every SupportCaseOpened whose first-response
 * deadline is due and that has no SupportCaseResponded at or before it gets
 * one SupportCaseSlaBreached and one FollowUpScheduled. `checkAutomations`
 * compares that with the automated events the log holds.
 */

/** The fields of a logged event the check reads (RecordedEvent has them). */
export type LoggedEvent = {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
};

export type ServiceLevelRules = {
  /** Minutes to the first response by priority; a missing or unknown priority is `normal`. */
  readonly minutes: { readonly high: number; readonly normal: number; readonly low: number };
  readonly ownerQueue: string;
};

/** The product's defaults (SLA_FIRST_RESPONSE_MINUTES_*, SLA_OWNER_QUEUE). */
export const DEFAULT_SERVICE_LEVEL: ServiceLevelRules = {
  minutes: { high: 60, normal: 240, low: 1440 },
  ownerQueue: 'support',
};

const NAMESPACE = '0d6f3c1e-7a4b-5e29-9c3d-8b1f2a6e4c57';
const AUTOMATED_TYPES = new Set(['SurveyRequested', 'SupportCaseSlaBreached', 'FollowUpScheduled']);
const MINUTE_MS = 60_000;

/** UUID v5 (RFC 4122 §4.3): SHA-1 of the namespace bytes and the name, version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function derivedId(trigger: LoggedEvent, rule: string): string {
  return uuidV5(`${trigger.eventId}/${rule}`, NAMESPACE);
}

/** An automated event as it must be in the log: its id, stream, type, time, data and cause. */
export type ExpectedEvent = {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly causationId: string;
};

/** How the cases of the log came out, by the rules (the load must produce each kind). */
export type CaseOutcomes = {
  readonly resolved: number;
  readonly answeredInTime: number;
  readonly answeredLate: number;
  readonly unanswered: number;
  /** Deadlines not yet due at `asOf`: nothing may be recorded for them yet. */
  readonly notYetDue: number;
};

export type AutomationCheck = {
  readonly expected: number;
  readonly outcomes: CaseOutcomes;
  /** Expected and not in the log (by eventId). */
  readonly missing: readonly ExpectedEvent[];
  /** In the log under an expected id, but different (type, stream, time, data, causation). */
  readonly mismatched: readonly { readonly expected: ExpectedEvent; readonly logged: ExpectedEvent }[];
  /** Automated events (source `automations`) the rules do not call for. */
  readonly unexpected: readonly ExpectedEvent[];
  /** Event ids that the log holds more than once. */
  readonly duplicateIds: readonly string[];
};

function surveyRequest(resolution: LoggedEvent): ExpectedEvent {
  const eventId = derivedId(resolution, 'feedback.survey-request');
  return {
    eventId,
    streamId: resolution.streamId,
    type: 'SurveyRequested',
    occurredAt: resolution.occurredAt,
    data: { requestId: eventId, surveyType: 'csat', caseId: resolution.data['caseId'] },
    causationId: resolution.eventId,
  };
}

function dueAtOf(opening: LoggedEvent, rules: ServiceLevelRules): string {
  const priority = opening.data['priority'];
  const minutes =
    priority === 'high' ? rules.minutes.high : priority === 'low' ? rules.minutes.low : rules.minutes.normal;
  return new Date(Date.parse(opening.occurredAt) + minutes * MINUTE_MS).toISOString();
}

function breachAndFollowUp(opening: LoggedEvent, dueAt: string, rules: ServiceLevelRules): ExpectedEvent[] {
  const caseId = opening.data['caseId'];
  const followUpId = derivedId(opening, 'service-level.follow-up');
  const common = { streamId: opening.streamId, occurredAt: dueAt, causationId: opening.eventId };
  return [
    {
      ...common,
      eventId: derivedId(opening, 'service-level.breach'),
      type: 'SupportCaseSlaBreached',
      data: { caseId, dueAt },
    },
    {
      ...common,
      eventId: followUpId,
      type: 'FollowUpScheduled',
      data: {
        followUpId,
        assignee: rules.ownerQueue,
        dueAt,
        reason: `First response overdue on case ${String(caseId)}`,
        caseId,
      },
    },
  ];
}

function asExpected(event: LoggedEvent): ExpectedEvent {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    type: event.type,
    occurredAt: event.occurredAt,
    data: event.data,
    causationId: String(event.metadata['causationId']),
  };
}

/** Same order of keys does not matter; values are compared as JSON. */
function sameEvent(a: ExpectedEvent, b: ExpectedEvent): boolean {
  const sorted = (data: Readonly<Record<string, unknown>>): string =>
    JSON.stringify(Object.fromEntries(Object.entries(data).sort(([x], [y]) => x.localeCompare(y))));
  return (
    a.streamId === b.streamId &&
    a.type === b.type &&
    Date.parse(a.occurredAt) === Date.parse(b.occurredAt) &&
    a.causationId === b.causationId &&
    sorted(a.data) === sorted(b.data)
  );
}

/** The automated events `log` must hold by the rules, as of `asOf` (ms), against those it holds. */
export function checkAutomations(
  log: readonly LoggedEvent[],
  asOf: number,
  rules: ServiceLevelRules = DEFAULT_SERVICE_LEVEL,
): AutomationCheck {
  const responses = new Map<string, number[]>();
  for (const event of log.filter((e) => e.type === 'SupportCaseResponded')) {
    const key = `${event.streamId}/${String(event.data['caseId'])}`;
    responses.set(key, [...(responses.get(key) ?? []), Date.parse(event.occurredAt)]);
  }
  const expected: ExpectedEvent[] = [];
  const outcomes = { resolved: 0, answeredInTime: 0, answeredLate: 0, unanswered: 0, notYetDue: 0 };
  for (const event of log) {
    if (event.type === 'SupportCaseResolved') {
      outcomes.resolved++;
      expected.push(surveyRequest(event));
    }
    if (event.type !== 'SupportCaseOpened') continue;
    const dueAt = dueAtOf(event, rules);
    const answered = responses.get(`${event.streamId}/${String(event.data['caseId'])}`) ?? [];
    if (Date.parse(dueAt) > asOf) outcomes.notYetDue++;
    else if (answered.some((at) => at <= Date.parse(dueAt))) outcomes.answeredInTime++;
    else {
      if (answered.length > 0) outcomes.answeredLate++;
      else outcomes.unanswered++;
      expected.push(...breachAndFollowUp(event, dueAt, rules));
    }
  }
  const counts = new Map<string, number>();
  for (const event of log) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
  const logged = new Map(log.map((event) => [event.eventId, asExpected(event)]));
  const expectedIds = new Set(expected.map((event) => event.eventId));
  const mismatched = expected.flatMap((want) => {
    const got = logged.get(want.eventId);
    return got !== undefined && !sameEvent(want, got) ? [{ expected: want, logged: got }] : [];
  });
  return {
    expected: expected.length,
    outcomes,
    missing: expected.filter((event) => !logged.has(event.eventId)),
    mismatched,
    unexpected: log
      .filter(
        (event) =>
          (event.metadata['source'] === 'automations' || AUTOMATED_TYPES.has(event.type)) &&
          !expectedIds.has(event.eventId),
      )
      .map(asExpected),
    duplicateIds: [...counts].filter(([, count]) => count > 1).map(([id]) => id),
  };
}

/** What the survey and service-level KPIs count for a period, from the log (the KPI conventions). */
export type AutomationKpiInputs = {
  /** SupportCaseOpened with occurredAt in [from, to). */
  readonly casesOpened: number;
  /** Of those, the cases with a SupportCaseSlaBreached in the log (whenever it came). */
  readonly casesBreached: number;
  /** SurveyRequested with occurredAt in [from, to). */
  readonly surveyRequests: number;
  /** Of those, the requests a SurveyAnswered names (whenever it came). */
  readonly requestsAnswered: number;
};

/** `slaBreachRate` = casesBreached / casesOpened and `surveyResponseRate` = requestsAnswered / surveyRequests. */
export function automationKpiInputs(
  log: readonly LoggedEvent[],
  from: string,
  to: string,
): AutomationKpiInputs {
  const inPeriod = (event: LoggedEvent): boolean =>
    Date.parse(event.occurredAt) >= Date.parse(from) && Date.parse(event.occurredAt) < Date.parse(to);
  const caseKey = (event: LoggedEvent): string => `${event.streamId}/${String(event.data['caseId'])}`;
  const breached = new Set(log.filter((e) => e.type === 'SupportCaseSlaBreached').map(caseKey));
  const answered = new Set(
    log
      .filter((e) => e.type === 'SurveyAnswered' && e.data['requestId'] !== undefined)
      .map((e) => e.data['requestId']),
  );
  const opened = log.filter((e) => e.type === 'SupportCaseOpened' && inPeriod(e));
  const requests = log.filter((e) => e.type === 'SurveyRequested' && inPeriod(e));
  return {
    casesOpened: opened.length,
    casesBreached: opened.filter((e) => breached.has(caseKey(e))).length,
    surveyRequests: requests.length,
    requestsAnswered: requests.filter((e) => answered.has(e.data['requestId'])).length,
  };
}
