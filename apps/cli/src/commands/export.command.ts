import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { eventLogNdjson, type EventFilter, parseEventFilter } from '@crm/analytics/event-log';
import type { CliCommand, CliIo } from '../cli-command';
import { parseCommandArgs, stringOption } from '../support/args';
import { formatRate, peakRssMb, Progress } from '../support/progress';
import { configOf, openEventStore } from '../support/stores';

/** CLI flag → GET /events filter name: the same filters, the same validation. */
const FILTER_FLAGS = {
  types: 'types',
  'customer-id': 'customerId',
  'occurred-from': 'occurredFrom',
  'occurred-to': 'occurredTo',
  'after-position': 'afterPosition',
  'to-position': 'toPosition',
  limit: 'limit',
} as const;

const USAGE = `usage: crm export [--out FILE] [filters]

Writes the event log as NDJSON (the GET /events format, docs/analytics.md) to
FILE, or to stdout. Progress and the summary go to stderr.

  --out, -o FILE            write here instead of stdout
  --types T1,T2             only these event types
  --customer-id ID          only this customer's stream
  --occurred-from ISO       occurredAt >= ISO
  --occurred-to ISO         occurredAt <  ISO
  --after-position N        position >  N (resume after the last exported line)
  --to-position N           position <= N
  --limit N                 at most N events
  --page-size N             events read per page (default 1000)
`;

export const exportCommand: CliCommand = {
  name: 'export',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        out: { type: 'string', short: 'o' },
        'page-size': { type: 'string' },
        ...Object.fromEntries(Object.keys(FILTER_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      },
      USAGE,
      io,
    );
    if (parsed === null) return 2;
    if (parsed.positionals.length > 0) {
      io.stderr.write(`unexpected argument ${parsed.positionals[0]}\n\n${USAGE}`);
      return 2;
    }
    const raw: Record<string, string> = {};
    for (const [flag, field] of Object.entries(FILTER_FLAGS)) {
      const value = stringOption(parsed, flag);
      if (value !== undefined) raw[field] = value;
    }
    const filter = parseEventFilter(raw);
    if (!filter.ok) {
      for (const detail of filter.details) io.stderr.write(`${flagOf(detail.field)}: ${detail.message}\n`);
      return 2;
    }
    const pageSize = Number(stringOption(parsed, 'page-size') ?? 1000);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
      io.stderr.write('--page-size: an integer from 1 to 10000\n');
      return 2;
    }
    const config = configOf(io);
    if (config === null) return 1;
    const store = await openEventStore(config, io, true);
    if (store === null) return 1;
    try {
      return await exportTo(store, filter.filter, pageSize, stringOption(parsed, 'out'), io);
    } finally {
      await store.close();
    }
  },
};

async function exportTo(
  store: Parameters<typeof eventLogNdjson>[0],
  filter: EventFilter,
  pageSize: number,
  out: string | undefined,
  io: CliIo,
): Promise<number> {
  const head = await store.headPosition();
  const progress = new Progress(io, 'export');
  const seen: { count: number; first: number | null; last: number | null } = {
    count: 0,
    first: null,
    last: null,
  };
  const source = eventLogNdjson(store, filter, {
    pageSize,
    onPage: (page) => {
      seen.count += page.length;
      seen.first ??= page[0]?.position ?? null;
      seen.last = page[page.length - 1]?.position ?? seen.last;
      progress.update(seen.last ?? 0, head);
    },
  });
  const sink = out === undefined ? io.stdout : createWriteStream(out);
  for await (const chunk of source) {
    if (!sink.write(chunk as Buffer)) await once(sink, 'drain');
  }
  if (out !== undefined) {
    sink.end();
    await once(sink, 'finish');
  }
  const seconds = progress.seconds();
  const { count, first, last } = seen;
  const range = first === null || last === null ? 'no events matched' : `positions ${first}-${last}`;
  progress.finish([
    `exported ${count} events (${range}) to ${out ?? 'stdout'} in ${seconds.toFixed(1)} s, ${formatRate(count, seconds)} events/s, peak RSS ${peakRssMb()} MB`,
  ]);
  return 0;
}

function flagOf(field: string): string {
  const flag = Object.entries(FILTER_FLAGS).find(([, name]) => name === field)?.[0];
  return flag === undefined ? field : `--${flag}`;
}
