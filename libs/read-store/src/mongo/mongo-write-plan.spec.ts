import type { CheckedWrite } from '../core/unit-of-work.validation';
import { byCollection, planCommands, replaceIfOlder, roundsOf, statementOf } from './mongo-write-plan';
import { WRITE_PROFILES } from './mongo-write-profile';

function putOf(id: string, position: number, collection = 'journeys'): CheckedWrite {
  return { kind: 'put', collection, id, position, document: { id, position, stage: 'reach' } };
}

function deleteOf(id: string, position: number, collection = 'journeys'): CheckedWrite {
  return { kind: 'delete', collection, id, position };
}

const idsOf = (commands: CheckedWrite[][]) => commands.map((command) => command.map((write) => write.id));

describe('planning the writes of a collection', () => {
  it('sends a put over a missing or older document and drops one at or below the stored position', () => {
    const stored = new Map([
      ['older', 4],
      ['same', 5],
      ['newer', 6],
    ]);
    const writes = ['missing', 'older', 'same', 'newer'].map((id) => putOf(id, 5));
    expect(idsOf(planCommands(writes, stored, WRITE_PROFILES.mongodb))).toEqual([['missing', 'older']]);
  });

  it('sends a delete only over an older stored document', () => {
    const stored = new Map([
      ['older', 4],
      ['same', 5],
    ]);
    const writes = ['missing', 'older', 'same'].map((id) => deleteOf(id, 5));
    expect(idsOf(planCommands(writes, stored, WRITE_PROFILES.ferretdb))).toEqual([['older']]);
  });

  it('plans nothing when every write is a replay', () => {
    const stored = new Map([['a', 9]]);
    expect(planCommands([putOf('a', 9), deleteOf('a', 8)], stored, WRITE_PROFILES.ferretdb)).toEqual([]);
  });

  it.each([
    ['ferretdb', 50, [50, 50, 20]],
    ['mongodb', 1000, [120]],
  ] as const)('cuts the writes for %s into commands of at most %i, in order', (engine, _, sizes) => {
    const writes = Array.from({ length: 120 }, (_, index) => putOf(`c-${index}`, index + 1));
    const commands = planCommands(writes, new Map(), WRITE_PROFILES[engine]);
    expect(commands.map((command) => command.length)).toEqual(sizes);
    expect(commands.flat()).toEqual(writes);
  });
});

describe('the statement of a write', () => {
  it('repeats the position guard in the filter when guarded', () => {
    expect(statementOf(putOf('a', 7), true)).toEqual({
      replaceOne: {
        filter: { _id: 'a', position: { $lt: 7 } },
        replacement: { _id: 'a', id: 'a', position: 7, stage: 'reach' },
        upsert: true,
      },
    });
    expect(statementOf(deleteOf('a', 7), true)).toEqual({
      deleteOne: { filter: { _id: 'a', position: { $lt: 7 } } },
    });
  });

  it('filters on the id alone when not guarded, the only filter FerretDB v1 pushes down', () => {
    expect(statementOf(putOf('a', 7), false)).toEqual({
      replaceOne: {
        filter: { _id: 'a' },
        replacement: { _id: 'a', id: 'a', position: 7, stage: 'reach' },
        upsert: true,
      },
    });
    expect(statementOf(deleteOf('a', 7), false)).toEqual({ deleteOne: { filter: { _id: 'a' } } });
  });

  it('replaces after a race only an older document, without upserting', () => {
    const put = putOf('a', 7) as Extract<CheckedWrite, { kind: 'put' }>;
    expect(replaceIfOlder(put)).toEqual({
      replaceOne: {
        filter: { _id: 'a', position: { $lt: 7 } },
        replacement: { _id: 'a', id: 'a', position: 7, stage: 'reach' },
      },
    });
  });
});

describe('grouping a unit', () => {
  it('puts the n-th write to a document in round n, keeping order within a round', () => {
    const writes = [putOf('a', 1), putOf('b', 2), deleteOf('a', 3), putOf('a', 4), putOf('a', 5, 'ranks')];
    expect(roundsOf(writes)).toEqual([
      [putOf('a', 1), putOf('b', 2), putOf('a', 5, 'ranks')],
      [deleteOf('a', 3)],
      [putOf('a', 4)],
    ]);
  });

  it('groups a round by collection in first-seen order', () => {
    const groups = byCollection([putOf('a', 1, 'ranks'), putOf('b', 2), putOf('c', 3, 'ranks')]);
    expect([...groups.keys()]).toEqual(['ranks', 'journeys']);
    expect(groups.get('ranks')?.map((write) => write.id)).toEqual(['a', 'c']);
  });
});
