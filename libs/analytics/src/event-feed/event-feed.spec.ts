import { once } from 'node:events';
import { Writable } from 'node:stream';
import { endFrame, pumpFeed } from './event-feed';

type Frame = { readonly frame: string; readonly position?: number };

/** Frames of events 1…count, counting how many the pump pulled. */
function framesOf(count: number): { frames: AsyncGenerator<Frame>; pulled: () => number } {
  let pulled = 0;
  async function* frames(): AsyncGenerator<Frame> {
    for (let position = 1; position <= count; position++) {
      // A real source reads the log between frames.
      await Promise.resolve();
      pulled++;
      yield { frame: `id: ${position}\ndata: {"position":${position}}\n\n`, position };
    }
  }
  return { frames: frames(), pulled: () => pulled };
}

/** A client socket stand-in: buffers `highWaterMark` bytes; takes a write when `take` is called, or never. */
function client(highWaterMark: number): { out: Writable; written: string[]; take: () => void } {
  const written: string[] = [];
  const waiting: (() => void)[] = [];
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      waiting.push(done);
    },
  });
  return { out, written, take: () => waiting.shift()?.() };
}

const timing = { heartbeatMs: 1000, stallMs: 60 };

describe('pumpFeed', () => {
  it('pulls the next frame only once the client took the last: a slow client holds the log, not our memory', async () => {
    const source = framesOf(50);
    const { out, written, take } = client(1);
    const taker = setInterval(take, 1);
    try {
      const result = await pumpFeed(
        source.frames,
        out,
        { after: 0 },
        { ...timing, stallMs: 5000 },
        () => undefined,
      );
      expect(result).toEqual({ end: 'closed', lastPosition: 50, events: 50 });
      expect(written).toHaveLength(50);
    } finally {
      clearInterval(taker);
    }
  });

  it('never runs more than one frame ahead of what the client took', async () => {
    const source = framesOf(1000);
    const { out, take } = client(1);
    const pumping = pumpFeed(source.frames, out, { after: 0 }, { ...timing, stallMs: 5000 }, () => undefined);
    for (let taken = 0; taken < 20; taken++) {
      await new Promise((resolve) => setImmediate(resolve));
      take();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.pulled()).toBeLessThanOrEqual(22);
    out.destroy();
    take();
    await expect(pumping).resolves.toMatchObject({ end: 'closed' });
  });

  it('cuts a client that takes nothing for stallMs, its last frame saying why and where to resume', async () => {
    const source = framesOf(1000);
    const { out } = client(64);
    const began = performance.now();
    const result = await pumpFeed(source.frames, out, { after: 0 }, timing, () => undefined);
    expect(result.end).toBe('slow-consumer');
    expect(result.lastPosition).toBeGreaterThan(0);
    expect(source.pulled()).toBeLessThan(10);
    // Ended with the end frame queued; dropped once it still took nothing for another stallMs.
    expect(out.writableEnded).toBe(true);
    expect(out.destroyed).toBe(false);
    await once(out, 'close');
    expect(performance.now() - began).toBeGreaterThanOrEqual(2 * timing.stallMs - 5);
  });

  it('hands the end frame to a stalled client that reads again before it is dropped', async () => {
    const source = framesOf(1000);
    const { out, written, take } = client(64);
    const result = await pumpFeed(source.frames, out, { after: 0 }, timing, () => undefined);
    const finished = once(out, 'finish');
    const taker = setInterval(take, 1);
    try {
      await finished;
      expect(written.at(-1)).toBe(endFrame('slow-consumer', result.lastPosition));
      expect(written.slice(0, -1)).toHaveLength(result.events);
    } finally {
      clearInterval(taker);
    }
  });

  it('ends with the shutdown frame when the server stops', async () => {
    const source = framesOf(3);
    const { out, written, take } = client(1 << 20);
    const taker = setInterval(take, 1);
    try {
      const finished = once(out, 'finish');
      const result = await pumpFeed(source.frames, out, { after: 0 }, timing, () => 'shutdown');
      expect(result).toEqual({ end: 'shutdown', lastPosition: 1, events: 1 });
      await finished;
      expect(written).toEqual(['id: 1\ndata: {"position":1}\n\n', endFrame('shutdown', 1)]);
    } finally {
      clearInterval(taker);
    }
  });
});
