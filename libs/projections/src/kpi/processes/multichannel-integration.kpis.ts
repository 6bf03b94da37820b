import { TOUCHPOINT_CHANNELS, type TouchpointChannel } from '@crm/domain';
import { epochMs } from '../../shared/instant';
import { factsWithin, type InstantRange, isWithin } from '../facts/fact-chronology';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { median, ratio } from '../kpi-math';
import type { MultichannelIntegrationKpis } from '../payne-frow-kpis';

const MINUTE_MS = 60_000;

export function multichannelIntegrationKpis(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
): MultichannelIntegrationKpis {
  const touchpoints = facts.map((doc) => factsWithin(doc.touchpoints, range));
  const channelsPerCustomer = touchpoints
    .map((ofCustomer) => new Set(ofCustomer.map((touchpoint) => touchpoint.channel)).size)
    .filter((channels) => channels > 0);
  return {
    touchpointsByChannel: countByChannel(touchpoints.flat()),
    multichannelShare: ratio(channelsPerCustomer.filter((n) => n >= 2).length, channelsPerCustomer.length),
    medianFirstResponseMinutes: median(facts.flatMap((doc) => firstResponseMinutes(doc, range))),
  };
}

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
