import { type Answer, timeLoop } from './reads-client';

const ok: Answer = { status: 200, body: '' };

describe('a timed loop of reads', () => {
  it('counts the answers that are not 2xx and keeps the first one, without timing them', async () => {
    const answers: Answer[] = [
      ok,
      { status: 500, body: `{"code":"INTERNAL"}${'x'.repeat(2000)}` },
      { status: 0, body: 'no answer: other side closed' },
      ok,
    ];
    const result = await timeLoop((index) => Promise.resolve(answers[index] ?? ok), {
      requests: 4,
      concurrency: 1,
      seconds: 60,
    });
    expect(result).toMatchObject({ requests: 4, non2xx: 2, stoppedBy: 'count' });
    expect(result.firstError?.status).toBe(500);
    expect(result.firstError?.body).toHaveLength(1000);
    expect(result.firstError?.body.startsWith('{"code":"INTERNAL"}')).toBe(true);
  });

  it('has no error to show when every answer was 2xx', async () => {
    const result = await timeLoop(() => Promise.resolve(ok), { requests: 5, concurrency: 2, seconds: 60 });
    expect(result).toMatchObject({ requests: 5, non2xx: 0, firstError: null, stoppedBy: 'count' });
  });

  it('starts nothing after its time budget, and says so', async () => {
    const slow = () => new Promise<Answer>((resolve) => setTimeout(() => resolve(ok), 20));
    const result = await timeLoop(slow, { requests: 10_000, concurrency: 2, seconds: 0.1 });
    expect(result.requests).toBeLessThan(100);
    expect(result.stoppedBy).toBe('time');
  });

  it('stops when the measurement it runs beside is over', async () => {
    let sent = 0;
    const result = await timeLoop(
      () => {
        sent++;
        return Promise.resolve(ok);
      },
      { requests: 10_000, concurrency: 1, seconds: 60, stop: () => sent >= 3 },
    );
    expect(result).toMatchObject({ requests: 3, stoppedBy: 'stop' });
  });
});
