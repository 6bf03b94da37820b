import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '@crm/event-store';
import type { BenchHistories } from './rebuild.bench';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The reads bench log's time span, day-aligned: two years of history, so a
 * month and twelve months of KPIs, and time travel, fall well inside it.
 */
export const READS_LOG_SPAN = { from: Date.UTC(2024, 11, 1), to: Date.UTC(2026, 11, 1) } as const;

const METADATA = { correlationId: 'bench-reads', causationId: null, actor: 'bench', source: 'bench' };
const CATEGORIES = ['books', 'electronics', 'garden', 'fashion', 'home', 'toys'] as const;

/**
 * A number in [0, 1) that depends only on its inputs (murmur3's finaliser
 * over each part): the log has the same content on every run, eventIds
 * aside, so a kept log can be sampled without reading it.
 */
export function unitHash(...parts: readonly number[]): number {
  let hash = 0x2545f491;
  for (const part of parts) {
    hash = Math.imul(hash ^ part, 0x9e3779b1);
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return (hash >>> 0) / 2 ** 32;
}

/** The entry whose share of the total weight `unit` (in [0, 1)) falls into. */
export function pickWeighted<T>(unit: number, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = unit * total;
  for (const [value, weight] of entries) {
    if (threshold < weight) return value;
    threshold -= weight;
  }
  const last = entries[entries.length - 1];
  if (last === undefined) throw new RangeError('no entries to pick from');
  return last[0];
}

/**
 * Event counts per customer that add up to `events`. Customers go in
 * pairs, one above the mean and one below it by the same amount (up to 90%
 * of the mean), so histories run from a few events to nearly twice the
 * mean, as in a real customer base, while the total stays exact.
 */
export function historyLengths(events: number, customers: number): (customer: number) => number {
  if (!Number.isInteger(customers) || customers < 1 || !Number.isInteger(events) || events < customers) {
    throw new RangeError('a reads log needs at least one customer and one event per customer');
  }
  const base = Math.floor(events / customers);
  const extra = events - base * customers;
  return (customer) => {
    const own = base + (customer < extra ? 1 : 0);
    const partner = customer % 2 === 0 ? customer + 1 : customer - 1;
    if (partner >= customers) return own;
    const delta = Math.floor(unitHash(Math.floor(customer / 2), 7) * 0.9 * (base - 1));
    return customer % 2 === 0 ? own + delta : own - delta;
  };
}

/** The reads bench's log: `events` events over `customers` customers, each with a rich history. */
export function readsHistories(events: number, customers: number): BenchHistories {
  return { customers, lengthOf: historyLengths(events, customers), historyOf: readsHistoryOf };
}

type Kind = 'person' | 'company';
type Traits = {
  readonly kind: Kind;
  readonly segment: string;
  readonly registeredAt: number;
  /** Churned customers fall silent well before the end of the span. */
  readonly activeUntil: number;
  /** Never buys: stays a prospect (value tier) or below conversion (stage). */
  readonly prospect: boolean;
  /** Scales order amounts: enterprise accounts spend more. */
  readonly spend: number;
};

function traitsOf(customer: number): Traits {
  const unit = (salt: number): number => unitHash(customer, 0, salt);
  const kind: Kind = unit(1) < 0.2 ? 'company' : 'person';
  const segment =
    kind === 'company' ? (unit(2) < 0.6 ? 'smb' : 'enterprise') : unit(2) < 0.85 ? 'retail' : 'smb';
  const spanDays = (READS_LOG_SPAN.to - READS_LOG_SPAN.from) / DAY;
  // sqrt: more customers arrive later, as a growing business has them; none in the last month.
  const day = Math.floor((spanDays - 30) * Math.sqrt(unit(3)));
  const registeredAt = READS_LOG_SPAN.from + day * DAY + Math.floor((8 + 10 * unit(4)) * HOUR);
  const end = READS_LOG_SPAN.to - HOUR;
  const activeUntil =
    unit(5) < 0.35 ? registeredAt + Math.floor((end - registeredAt) * (0.2 + 0.5 * unit(6))) : end;
  return {
    kind,
    segment,
    registeredAt,
    activeUntil,
    prospect: unit(7) < 0.08,
    spend: segment === 'enterprise' ? 4 : segment === 'smb' ? 1.5 : 1,
  };
}

type Order = { readonly orderId: string; readonly paid: number; refunded: number };
type OpenCase = { readonly caseId: string; readonly priority: string; respondedAt: number | null };

/** One customer's history as it is being written: what the next events may refer to. */
type Writer = {
  readonly customer: number;
  readonly traits: Traits;
  readonly events: EventToAppend[];
  readonly orders: Order[];
  openCase: OpenCase | null;
  caseAt: number;
};

const TOUCHPOINT_MIX = [
  ['purchase', 20],
  ['refund', 3],
  ['email', 12],
  ['call', 8],
  ['message', 8],
  ['meeting', 3],
  ['campaign', 16],
  ['survey', 10],
  ['support', 10],
  ['profile', 4],
  ['consent', 6],
] as const;
type Touch = (typeof TOUCHPOINT_MIX)[number][0];

/**
 * A customer's history for the reads bench: registration, then `length - 1`
 * events spread from then until the customer falls silent, mixing every
 * touchpoint the KPIs count: purchases on four channels with items, partial
 * and full refunds, emails (some from campaigns), calls, messages,
 * meetings, campaign sends to conversions, NPS, CSAT and CES answers,
 * support cases opened, answered and resolved (first contact or not),
 * profile updates (segment changes among them) and marketing consent.
 * Every event is one the import and the ingest routes accept, in an order
 * the customer's rules allow (the spec checks both).
 */
export function readsHistoryOf(customer: number, length: number): EventToAppend[] {
  const traits = traitsOf(customer);
  const writer: Writer = { customer, traits, events: [], orders: [], openCase: null, caseAt: 0 };
  push(writer, traits.registeredAt, 'CustomerRegistered', registration(customer, traits));
  for (let index = 1; index < length; index++) {
    const gap = (traits.activeUntil - traits.registeredAt) / length;
    const at = traits.registeredAt + Math.floor((index + 0.8 * unitHash(customer, index, 0)) * gap);
    if (writer.openCase !== null) continueCase(writer, index, writer.openCase);
    else touch(writer, index, at, pickWeighted(unitHash(customer, index, 1), TOUCHPOINT_MIX));
  }
  return writer.events;
}

function registration(customer: number, traits: Traits): Record<string, unknown> {
  const unit = (salt: number): number => unitHash(customer, 0, salt);
  const data: Record<string, unknown> = {
    customerId: `bench-${customer}`,
    kind: traits.kind,
    name: traits.kind === 'company' ? `Company ${customer}` : `Customer ${customer}`,
    segment: traits.segment,
    acquisitionChannel: pickWeighted(unit(8), [
      ['web', 4],
      ['store', 2],
      ['referral', 2],
      ['campaign', 2],
      ['partner', 1],
    ]),
  };
  if (unit(9) < 0.9) data.email = `c${customer}@example.com`;
  if (unit(10) < 0.45) data.phone = `+44 20 7946 ${String(customer % 10_000).padStart(4, '0')}`;
  return data;
}

function push(writer: Writer, at: number, type: string, data: Record<string, unknown>): void {
  // Whole seconds, and never past the span: the reads pick their periods inside it.
  const occurredAt = Math.min(Math.floor(at / 1000) * 1000, READS_LOG_SPAN.to - 1000);
  writer.events.push({
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date(occurredAt).toISOString(),
    data,
    metadata: METADATA,
  });
}

function touch(writer: Writer, index: number, at: number, kind: Touch): void {
  const unit = (salt: number): number => unitHash(writer.customer, index, salt);
  switch (kind) {
    case 'purchase':
      return writer.traits.prospect ? campaign(writer, at, unit) : purchase(writer, index, at, unit);
    case 'refund':
      return refund(writer, index, at, unit);
    case 'email':
      return push(writer, at, 'EmailLogged', {
        direction: unit(2) < 0.7 ? 'outbound' : 'inbound',
        subject: 'Your account',
        ...(unit(3) < 0.4 ? { campaignId: campaignOf(at) } : {}),
      });
    case 'call':
      return call(writer, at, unit);
    case 'message':
      return push(writer, at, 'MessageLogged', {
        channel: pickWeighted(unit(2), [
          ['chat', 4],
          ['sms', 2],
          ['whatsapp', 3],
          ['social', 1],
        ]),
        direction: unit(3) < 0.6 ? 'inbound' : 'outbound',
      });
    case 'meeting':
      return push(writer, at, 'MeetingHeld', { durationMinutes: 15 * (1 + Math.floor(unit(2) * 8)) });
    case 'campaign':
      return campaign(writer, at, unit);
    case 'survey':
      return survey(writer, at, unit);
    case 'support':
      return openCase(writer, index, at, unit);
    case 'profile':
      return profileUpdate(writer, at, unit);
    case 'consent':
      return push(writer, at, 'ConsentChanged', { purpose: 'marketing_email', granted: unit(2) < 0.7 });
  }
}

/** Campaigns run monthly: `camp-2025-03`. */
function campaignOf(at: number): string {
  return `camp-${new Date(at).toISOString().slice(0, 7)}`;
}

function campaign(writer: Writer, at: number, unit: (salt: number) => number): void {
  push(writer, at, 'CampaignInteraction', {
    campaignId: campaignOf(at),
    action: pickWeighted(unit(2), [
      ['sent', 10],
      ['opened', 5],
      ['clicked', 3],
      ['converted', 2],
    ]),
  });
}

function purchase(writer: Writer, index: number, at: number, unit: (salt: number) => number): void {
  const items = Array.from({ length: 1 + Math.floor(unit(2) * 3) }, (_, item) => ({
    sku: `sku-${Math.floor(unit(10 + item) * 500)}`,
    category: pickWeighted(
      unit(20 + item),
      CATEGORIES.map((category) => [category, 1] as const),
    ),
    quantity: 1 + Math.floor(unit(30 + item) * 2),
    unitAmount: Math.round((500 + unit(40 + item) * 9500) * writer.traits.spend),
  }));
  const amount = items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
  const orderId = `o-${index}`;
  writer.orders.push({ orderId, paid: amount, refunded: 0 });
  push(writer, at, 'PurchaseCompleted', {
    orderId,
    amount,
    currency: 'EUR',
    channel: pickWeighted(unit(3), [
      ['web', 9],
      ['app', 4],
      ['store', 5],
      ['phone', 2],
    ]),
    items,
  });
}

/** Refunds the latest order with something left to refund, whole or half; a purchase when there is none. */
function refund(writer: Writer, index: number, at: number, unit: (salt: number) => number): void {
  const order = [...writer.orders].reverse().find((candidate) => candidate.refunded < candidate.paid);
  if (order === undefined) {
    if (writer.traits.prospect) return campaign(writer, at, unit);
    return purchase(writer, index, at, unit);
  }
  const left = order.paid - order.refunded;
  const amount = unit(2) < 0.6 ? left : Math.max(1, Math.floor(left / 2));
  order.refunded += amount;
  push(writer, at, 'PurchaseRefunded', {
    orderId: order.orderId,
    amount,
    currency: 'EUR',
    ...(unit(3) < 0.5 ? { reason: 'damaged' } : {}),
  });
}

function call(writer: Writer, at: number, unit: (salt: number) => number): void {
  const outcome = pickWeighted(unit(2), [
    ['connected', 12],
    ['no_answer', 3],
    ['voicemail', 3],
    ['busy', 2],
  ]);
  push(writer, at, 'CallLogged', {
    direction: unit(3) < 0.5 ? 'inbound' : 'outbound',
    durationSeconds: outcome === 'connected' ? 60 + Math.floor(unit(4) * 900) : Math.floor(unit(4) * 30),
    outcome,
    agentId: `agent-${Math.floor(unit(5) * 40)}`,
  });
}

function survey(writer: Writer, at: number, unit: (salt: number) => number): void {
  const surveyType = pickWeighted(unit(2), [
    ['nps', 5],
    ['csat', 3],
    ['ces', 2],
  ]);
  const score =
    surveyType === 'nps'
      ? pickWeighted(unit(3), [
          [10, 2],
          [9, 2],
          [8, 2],
          [7, 1.5],
          [6, 1],
          [5, 0.5],
          [3, 0.5],
          [0, 0.5],
        ])
      : surveyType === 'csat'
        ? 1 + Math.floor(Math.sqrt(unit(3)) * 5)
        : 1 + Math.floor(unit(3) * 7);
  push(writer, at, 'SurveyAnswered', { surveyType, score });
}

/** Opens a case; its first response and resolution take the customer's next event slots. */
function openCase(writer: Writer, index: number, at: number, unit: (salt: number) => number): void {
  const priority = pickWeighted(unit(2), [
    ['high', 1],
    ['normal', 3],
    ['low', 1],
  ]);
  writer.openCase = { caseId: `case-${index}`, priority, respondedAt: null };
  writer.caseAt = at;
  push(writer, at, 'SupportCaseOpened', { caseId: `case-${index}`, subject: 'Order question', priority });
}

/** A case's first response (most get one) minutes to hours after opening, then its resolution. */
function continueCase(writer: Writer, index: number, open: OpenCase): void {
  const unit = (salt: number): number => unitHash(writer.customer, index, salt);
  if (open.respondedAt === null && unit(2) < 0.9) {
    const within = open.priority === 'high' ? 60 : open.priority === 'normal' ? 240 : 1440;
    open.respondedAt = writer.caseAt + Math.floor(unit(3) * 1.5 * within) * MINUTE + MINUTE;
    push(writer, open.respondedAt, 'SupportCaseResponded', { caseId: open.caseId });
    return;
  }
  const from = open.respondedAt ?? writer.caseAt;
  push(writer, from + Math.floor(30 + unit(4) * 2880) * MINUTE, 'SupportCaseResolved', {
    caseId: open.caseId,
    firstContact: unit(5) < 0.65,
  });
  writer.openCase = null;
}

function profileUpdate(writer: Writer, at: number, unit: (salt: number) => number): void {
  const choice = unit(2);
  if (choice < 0.5) {
    const segments = writer.traits.kind === 'company' ? ['smb', 'enterprise'] : ['retail', 'smb', 'premium'];
    return push(writer, at, 'CustomerProfileUpdated', {
      segment: segments[Math.floor(unit(3) * segments.length)],
    });
  }
  if (choice < 0.8) {
    return push(writer, at, 'CustomerProfileUpdated', {
      phone: `+44 161 496 ${String(writer.customer % 10_000).padStart(4, '0')}`,
    });
  }
  push(writer, at, 'CustomerProfileUpdated', { email: `c${writer.customer}.new@example.com` });
}
