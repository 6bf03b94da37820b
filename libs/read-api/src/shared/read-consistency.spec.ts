import type { ReadPositions, ReadScope } from '@crm/projections/runtime';
import { ApiError } from '@crm/platform';
import { awaitPosition } from './read-consistency';

/** A process's read positions as a test drives them: a checkpoint, paused projections, a wait that pauses. */
class SteppedPositions implements ReadPositions {
  checkpoint = 5;
  paused: string[] = [];
  /** What happens while a read waits (the wait then times out). */
  duringWait: () => void = () => undefined;

  position(_scope: ReadScope): number {
    return this.checkpoint;
  }
  waitFor(position: number, _scope: ReadScope, _timeoutMs: number): Promise<boolean> {
    this.duringWait();
    return Promise.resolve(this.checkpoint >= position);
  }
  pausedBelow(position: number, _scope: ReadScope): readonly string[] {
    return this.checkpoint < position ? this.paused : [];
  }
  partitions(): [] {
    return [];
  }
}

const LOG = { headPosition: () => Promise.resolve(10) };

async function refusal(positions: ReadPositions, minPosition: string): Promise<ApiError> {
  const error: unknown = await awaitPosition(positions, 'population', minPosition, 50, LOG).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('awaitPosition', () => {
  it('answers at once when the position is reached, even with a projection paused', async () => {
    const positions = new SteppedPositions();
    positions.paused = ['customer-journey'];

    await expect(awaitPosition(positions, 'population', '5', 50, LOG)).resolves.toBeUndefined();
  });

  it('refuses with 409 PROJECTION.PAUSED, naming each paused projection, instead of waiting', async () => {
    const positions = new SteppedPositions();
    positions.paused = ['customer-journey', 'idic-scores'];
    let waited = false;
    positions.duringWait = () => {
      waited = true;
    };

    const error = await refusal(positions, '8');

    expect(waited).toBe(false);
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe('PROJECTION.PAUSED');
    expect(error.message).toBe(
      'The read models reflect position 5, not yet 8: customer-journey, idic-scores are paused; resume them or read without minPosition',
    );
    expect(error.details.map((detail) => detail.message)).toEqual([
      'projection customer-journey is paused (POST /admin/projections/customer-journey/resume)',
      'projection idic-scores is paused (POST /admin/projections/idic-scores/resume)',
    ]);
  });

  it('says a projection was paused while the read waited, rather than "retry shortly"', async () => {
    const positions = new SteppedPositions();
    positions.duringWait = () => {
      positions.paused = ['payne-frow-kpis'];
    };

    const error = await refusal(positions, '8');

    expect(error.code).toBe('PROJECTION.PAUSED');
  });

  it('answers 503 PROJECTION.NOT_CAUGHT_UP when nothing is paused and the wait times out', async () => {
    const error = await refusal(new SteppedPositions(), '8');

    expect(error.statusCode).toBe(503);
    expect(error.code).toBe('PROJECTION.NOT_CAUGHT_UP');
  });
});
