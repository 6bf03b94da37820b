import { TOUCHPOINT_CHANNELS, type TouchpointChannel } from '@crm/domain';
import { epochMs } from '../../shared/instant';
import { type Day, dayOf } from '../aggregates/kpi-days';
import type { KpiTermSink } from '../aggregates/kpi-term-sink';
import { firstInPeriodTerms, firstPairInPeriodTerms } from '../aggregates/term-shapes';
import { factsWithin, type InstantRange, isWithin } from '../facts/fact-chronology';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { COUNTS, counterValues, type ProcessDefinition, RATE } from '../kpi-definition';
import { median, ratio } from '../kpi-math';

const MINUTE_MS = 60_000;

/** What the figures are formulas of; both paths measure the same. */
type Inputs = {
  readonly touchpointsByChannel: Readonly<Record<TouchpointChannel, number>>;
  /** Customers with a touchpoint in the period. */
  readonly touchingCustomers: number;
  /** Of them, those with touchpoints on two channels or more. */
  readonly multichannel: number;
  /** A median is no sum over customers: the counters keep the response times apart (response-median.ts). */
  readonly medianFirstResponseMinutes: number | null;
  /** Support cases opened in the period. */
  readonly casesOpened: number;
  /** Of them, those that breached their first-response service level, whenever the breach came. */
  readonly casesBreached: number;
};

/** The metrics of the counters (kpi/aggregates): each a sum over customers of their terms. */
const METRIC = {
  touchingCustomers: 'tpc',
  multichannel: 'multi',
  casesOpened: 'opened',
  casesBreached: 'sla!',
} as const;
const channelMetric = (channel: string): string => `tp|${channel}`;

export const MULTICHANNEL_INTEGRATION = {
  measure: (facts, range) => {
    const touchpoints = facts.map((doc) => factsWithin(doc.touchpoints, range));
    const channelsPerCustomer = touchpoints
      .map((ofCustomer) => new Set(ofCustomer.map((touchpoint) => touchpoint.channel)).size)
      .filter((channels) => channels > 0);
    const opened = facts.flatMap((doc) =>
      doc.supportCases.filter(({ openedAt }) => openedAt !== undefined && isWithin(openedAt, range)),
    );
    return {
      touchpointsByChannel: countByChannel(touchpoints.flat()),
      touchingCustomers: channelsPerCustomer.length,
      multichannel: channelsPerCustomer.filter((n) => n >= 2).length,
      medianFirstResponseMinutes: median(facts.flatMap((doc) => firstResponseMinutes(doc, range))),
      casesOpened: opened.length,
      casesBreached: opened.filter(({ breachedAt }) => breachedAt !== undefined).length,
    };
  },
  read: (counters) => ({
    touchpointsByChannel: Object.fromEntries(
      TOUCHPOINT_CHANNELS.map((channel) => [channel, counters.value(channelMetric(channel))]),
    ) as Record<TouchpointChannel, number>,
    ...counterValues(counters, METRIC),
    medianFirstResponseMinutes: counters.medianFirstResponseMinutes,
  }),
  terms: (doc, _churnWindowMs, sink) => {
    touchpointTerms(doc, sink);
    for (const { openedAt, respondedAt, breachedAt } of doc.supportCases) {
      if (openedAt === undefined) continue;
      const opened = dayOf(openedAt);
      sink.within(opened, METRIC.casesOpened, 1);
      // A breach, like a response, counts in the period of the opening whenever it came.
      if (breachedAt !== undefined) sink.settled(opened, dayOf(breachedAt), METRIC.casesBreached, 1);
      if (respondedAt !== undefined)
        sink.firstResponse(opened, dayOf(respondedAt), epochMs(respondedAt) - epochMs(openedAt));
    }
  },
  kpis: {
    touchpointsByChannel: {
      description: 'Touchpoints in the period by channel, every channel listed',
      schema: COUNTS,
      formula: (n) => n.touchpointsByChannel,
    },
    multichannelShare: {
      description: 'Customers with touchpoints on two channels or more / customers with any touchpoint',
      schema: RATE,
      formula: (n) => ratio(n.multichannel, n.touchingCustomers),
    },
    medianFirstResponseMinutes: {
      description:
        'Median minutes from SupportCaseOpened to the first response, over the cases opened in the period',
      schema: RATE,
      formula: (n) => n.medianFirstResponseMinutes,
    },
    slaBreachRate: {
      description:
        'Support cases opened in the period that breached their first-response service level (SupportCaseSlaBreached, whenever it came) / cases opened in the period',
      schema: RATE,
      formula: (n) => ratio(n.casesBreached, n.casesOpened),
    },
  },
} satisfies ProcessDefinition<Inputs>;

/** Every channel is listed, 0 when unused, so buckets line up. */
function countByChannel(
  touchpoints: readonly { readonly channel: TouchpointChannel }[],
): Record<TouchpointChannel, number> {
  const counts = Object.fromEntries(TOUCHPOINT_CHANNELS.map((channel) => [channel, 0])) as Record<
    TouchpointChannel,
    number
  >;
  for (const { channel } of touchpoints) counts[channel] += 1;
  return counts;
}

/** Cases opened in the period that have a first response, whenever it came. */
function firstResponseMinutes(doc: KpiFactsDocument, range: InstantRange): number[] {
  return doc.supportCases.flatMap(({ openedAt, respondedAt }) =>
    openedAt !== undefined && respondedAt !== undefined && isWithin(openedAt, range)
      ? [(epochMs(respondedAt) - epochMs(openedAt)) / MINUTE_MS]
      : [],
  );
}

/** Per channel; customers touching the period; and those switching channel inside it. */
function touchpointTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  const days = doc.touchpoints.map((touchpoint) => dayOf(touchpoint.at));
  doc.touchpoints.forEach((touchpoint, index) =>
    sink.within(days[index] as Day, channelMetric(touchpoint.channel), 1),
  );
  firstInPeriodTerms(days, METRIC.touchingCustomers, sink);
  // Two channels in the period: two consecutive touchpoints of different channels inside it.
  const switches = doc.touchpoints.flatMap((touchpoint, index) => {
    const next = doc.touchpoints[index + 1];
    return next !== undefined && next.channel !== touchpoint.channel
      ? [{ start: days[index] as Day, end: days[index + 1] as Day }]
      : [];
  });
  firstPairInPeriodTerms(switches, METRIC.multichannel, sink);
}
