import { randomUUID } from 'node:crypto';
import { attempt, newSecret } from '@crm/webhooks';
import { runConcurrently } from './stats';

/**
 * The ceiling of the webhooks bench, in its own process as the API is: the
 * product's own sender (`attempt`: signing, fetch, reading the answer) posts
 * COUNT bodies of BODY_BYTES to TARGET, CONCURRENCY at once, and prints
 * `{"elapsedMs": …, "failed": …}`. What delivery costs without the log,
 * the decryption and the bookkeeping around it.
 */
async function main(): Promise<void> {
  const target = process.env.TARGET ?? '';
  const count = Number(process.env.COUNT);
  const concurrency = Number(process.env.CONCURRENCY);
  const bodyBytes = Number(process.env.BODY_BYTES);
  if (!target || !(count > 0) || !(concurrency > 0) || !(bodyBytes > 0))
    throw new Error('usage: TARGET=<url> COUNT=<n> CONCURRENCY=<n> BODY_BYTES=<n> webhooks-ceiling.child');
  const secret = newSecret();
  const padding = 'x'.repeat(Math.max(0, bodyBytes - 120));
  let failed = 0;
  const { elapsedMs } = await runConcurrently(count, concurrency, async (index) => {
    const id = randomUUID();
    const body = JSON.stringify({
      position: index + 1,
      streamId: `customer-c${index % 1000}`,
      eventId: id,
      padding,
    });
    const outcome = await attempt({
      url: target,
      secret,
      id,
      body,
      timeoutMs: 10_000,
      now: () => Date.now() / 1000,
    });
    if (!outcome.ok) failed++;
  });
  process.stdout.write(`${JSON.stringify({ elapsedMs, failed })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
