import { mapInSlices, Slicer } from './slicer';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** Queues `label` as the event loop's next turn would run it (after the current microtasks). */
function onNextTurn(order: unknown[], label: string): void {
  setImmediate(() => order.push(label));
}

describe('Slicer', () => {
  it('lets nothing else run while the slice has time left', async () => {
    const clock = manualClock();
    const slicer = new Slicer({ sliceMs: 5, now: clock.now });
    const order: unknown[] = [];
    onNextTurn(order, 'turn');

    for (let i = 0; i < 100; i++) {
      clock.advance(0.04);
      order.push(i);
      await slicer.tick();
    }
    order.push('done');
    await new Promise((resolve) => setImmediate(resolve));

    expect(order.indexOf('turn')).toBe(order.indexOf('done') + 1);
  });

  it('gives the event loop a turn once the slice has used its time, then starts a new slice', async () => {
    const clock = manualClock();
    const slicer = new Slicer({ sliceMs: 5, now: clock.now });
    const order: unknown[] = [];
    onNextTurn(order, 'first turn');

    for (let i = 0; i < 6; i++) {
      clock.advance(2);
      order.push(i);
      if (i === 3) onNextTurn(order, 'second turn');
      await slicer.tick();
    }

    // 2 ms a piece: the slice is used up after pieces 0-2 (6 ms) and again after 3-5.
    expect(order).toEqual([0, 1, 2, 'first turn', 3, 4, 5, 'second turn']);
  });

  it('yields at every tick with a slice of 0 ms', async () => {
    const slicer = new Slicer({ sliceMs: 0, now: () => 0 });
    const order: unknown[] = [];

    for (let i = 0; i < 3; i++) {
      onNextTurn(order, `turn ${i}`);
      order.push(i);
      await slicer.tick();
    }

    expect(order).toEqual([0, 'turn 0', 1, 'turn 1', 2, 'turn 2']);
  });

  it('measures the slice on a real clock by default', () => {
    const slicer = new Slicer({ sliceMs: 60_000 });

    expect(slicer.due()).toBe(false);
    expect(new Slicer({ sliceMs: 0 }).due()).toBe(true);
  });

  it('yields on demand and starts a new slice after it', async () => {
    const clock = manualClock();
    const slicer = new Slicer({ sliceMs: 5, now: clock.now });
    const order: unknown[] = [];
    clock.advance(10);
    onNextTurn(order, 'turn');

    expect(slicer.due()).toBe(true);
    await slicer.yield();
    order.push('after');

    expect(order).toEqual(['turn', 'after']);
    expect(slicer.due()).toBe(false);
  });
});

describe('mapInSlices', () => {
  it('maps every item in order and gives the event loop a turn between slices', async () => {
    const clock = manualClock();
    const order: unknown[] = [];
    onNextTurn(order, 'turn');

    const mapped = await mapInSlices(
      [1, 2, 3, 4],
      (n) => {
        clock.advance(3);
        order.push(n);
        return n * 10;
      },
      new Slicer({ sliceMs: 5, now: clock.now }),
    );

    expect(mapped).toEqual([10, 20, 30, 40]);
    expect(order).toEqual([1, 2, 'turn', 3, 4]);
  });
});

describe('why slices are needed', () => {
  it('a loop that only awaits settled promises holds the event loop until it ends', async () => {
    const order: unknown[] = [];
    onNextTurn(order, 'turn');

    for (let i = 0; i < 1000; i++) await Promise.resolve(i);
    order.push('loop done');
    await new Promise((resolve) => setImmediate(resolve));

    expect(order).toEqual(['loop done', 'turn']);
  });
});
