import { KpiQueries } from '@crm/projections';
import { mergeWorlds } from '../../../projections/src/merge/testing/merge-worlds';
import {
  projectedReadModels,
  type ProjectedReadModels,
} from '../../../projections/src/queries/testing/projected-read-models';
import { withoutPositions } from '../../../projections/src/shared/testing/projection-log.fixture';
import { TimeTravelQueries } from './time-travel.queries';

const BEFORE_MERGE = '2025-01-15T00:00:00.000Z';
const AFTER_MERGE = '2025-02-01T00:00:00.000Z';
const PERIOD = {
  from: '2025-01-01T00:00:00.000Z',
  to: '2025-01-15T00:00:00.000Z',
  granularity: 'week',
} as const;

/** What time travel answers at asOf: the survivor's journey and scores, the duplicate's, and a KPI report. */
async function travel(models: ProjectedReadModels, asOf: string) {
  const options = { churnWindowDays: 180, readModels: models.store };
  const queries = new TimeTravelQueries(models.events, options, new KpiQueries(models.store, options));
  return {
    keep: withoutPositions({
      journey: await queries.journey('keep', { asOf }),
      scores: await queries.scores('keep', asOf),
    }),
    dupe: withoutPositions({
      journey: await queries.journey('dupe', { asOf }),
      scores: await queries.scores('dupe', asOf),
      mergedInto: await queries.mergedInto('dupe', asOf),
    }),
    kpis: withoutPositions(await queries.kpis({ ...PERIOD, asOf })),
  };
}

describe('time travel across a merge', () => {
  const worlds = mergeWorlds();
  let merged: ProjectedReadModels;
  let unmerged: ProjectedReadModels;
  let combined: ProjectedReadModels;

  beforeAll(async () => {
    merged = await projectedReadModels(worlds.merged);
    unmerged = await projectedReadModels(worlds.merged.slice(0, worlds.beforeMerge));
    combined = await projectedReadModels(worlds.combined);
  });
  afterAll(async () => {
    await Promise.all([merged.close(), unmerged.close(), combined.close()]);
  });

  it('sees two customers before the merge: what the log without the merge says', async () => {
    const before = await travel(merged, BEFORE_MERGE);
    expect(before).toEqual(await travel(unmerged, BEFORE_MERGE));
    expect(before).toMatchObject({ dupe: { mergedInto: null, scores: { customerId: 'dupe' } } });
  });

  it('sees one customer after the merge: what a customer with the combined history says', async () => {
    const after = await travel(merged, AFTER_MERGE);
    const fromStart = await travel(combined, AFTER_MERGE);
    expect(after.keep).toEqual(fromStart.keep);
    expect(after.kpis).toEqual(fromStart.kpis);
    expect(after.dupe).toEqual({ journey: null, scores: null, mergedInto: 'keep' });
  });

  it('folds the log where the counters hold today’s merged population, and agrees with the counters after the merge', async () => {
    const options = { churnWindowDays: 180 };
    const replayOnly = new TimeTravelQueries(merged.events, options);
    expect(withoutPositions(await replayOnly.scores('keep', AFTER_MERGE))).toEqual(
      withoutPositions(
        await new TimeTravelQueries(merged.events, { ...options, readModels: merged.store }).scores(
          'keep',
          AFTER_MERGE,
        ),
      ),
    );
    expect(withoutPositions(await replayOnly.kpis({ ...PERIOD, asOf: BEFORE_MERGE }))).toEqual(
      withoutPositions(
        await new TimeTravelQueries(unmerged.events, options).kpis({ ...PERIOD, asOf: BEFORE_MERGE }),
      ),
    );
  });
});
