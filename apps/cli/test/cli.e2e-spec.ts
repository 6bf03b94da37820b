import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamId } from '@crm/domain';
import { SqliteEventStore } from '@crm/event-store';
import { API_PID_FILE } from '@crm/platform';
import { SqliteReadStore } from '@crm/read-store';
import { digestOf } from '../../../libs/projections/src/testing/read-model-digest';
import { fixtureEvents, loadFixture } from '../../../libs/projections/src/testing/crm-fixture';
import { runCli } from '../src/cli';
import { COMMANDS } from '../src/main';
import { captureIo } from './cli-io';

const READ_MODELS = ['journeys', 'idic', 'kpi_facts', 'identity_index'];
/** One blind index key for every DATA_DIR of the suite, so their identity indexes compare byte for byte. */
const BLIND_INDEX_KEY = Buffer.alloc(32, 7).toString('base64');

/** The fixture as the API would have accepted it: its two padded emails trimmed (the DTO's IsEmail refuses spaces). */
function acceptedFixture() {
  return fixtureEvents().map((line) =>
    typeof line.data.email === 'string'
      ? { ...line, data: { ...line.data, email: line.data.email.trim() } }
      : line,
  );
}

async function withEvents<T>(dataDir: string, use: (store: SqliteEventStore) => Promise<T>): Promise<T> {
  const store = await SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

async function readModelDigest(dataDir: string): Promise<string> {
  const store = await SqliteReadStore.open({ file: join(dataDir, 'read-models.sqlite') });
  try {
    return await digestOf(store, READ_MODELS);
  } finally {
    await store.close();
  }
}

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('crm CLI', () => {
  let root: string;
  const dir = (name: string): string => join(root, name);
  const crm = async (dataDir: string, ...args: string[]) => {
    const io = captureIo({ DATA_DIR: dataDir, BLIND_INDEX_KEY });
    const code = await runCli(args, io, COMMANDS);
    return { code, out: io.out(), err: io.err() };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'crm-cli-'));
    await withEvents(dir('source'), (store) => loadFixture(store, acceptedFixture()));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('dispatch', () => {
    it('lists the commands on help, and prints a command’s usage', async () => {
      const help = await crm(dir('none'), 'help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(/export .*\n.*import .*\n.*rebuild /);
      const usage = await crm(dir('none'), 'help', 'import');
      expect(usage.out).toMatch(/^usage: crm import FILE/);
    });

    it('lists the commands without loading any of them (what keeps `crm --help` instant)', async () => {
      const io = captureIo({});
      const unloadable = {
        name: 'heavy',
        summary: 'needs every driver',
        load: () => Promise.reject(new Error('loaded')),
      };

      expect(await runCli(['--help'], io, [unloadable])).toBe(0);
      expect(io.out()).toMatch(/heavy\s+needs every driver/);
    });

    it('exits 2 with the usage for no command or an unknown one', async () => {
      const unknown = await crm(dir('none'), 'teleport');
      expect(unknown.code).toBe(2);
      expect(unknown.err).toMatch(/unknown command "teleport"[\s\S]*usage:/);
      expect((await crm(dir('none'))).code).toBe(2);
      expect((await crm(dir('none'), 'export', '--colour', 'red')).code).toBe(2);
    });
  });

  describe('export', () => {
    it('writes the whole log to a file with a summary', async () => {
      const { code, err } = await crm(
        dir('source'),
        'export',
        '--out',
        dir('all.ndjson'),
        '--page-size',
        '7',
      );
      expect(code).toBe(0);
      const lines = ndjson(readFileSync(dir('all.ndjson'), 'utf8'));
      expect(lines).toHaveLength(370);
      expect(lines.map((line) => line.position)).toEqual(Array.from({ length: 370 }, (_, i) => i + 1));
      expect(err).toMatch(
        /exported 370 events \(positions 1-370\) to .*all\.ndjson in [\d.]+ s, \d+ events\/s, peak RSS \d+ MB/,
      );
    });

    it('writes to stdout with the filters of GET /events', async () => {
      const { code, out } = await crm(
        dir('source'),
        'export',
        '--types',
        'PurchaseRefunded',
        '--customer-id',
        'cust-13',
        '--limit',
        '1',
      );
      expect(code).toBe(0);
      const lines = ndjson(out);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ type: 'PurchaseRefunded', streamId: 'customer-cust-13' });
    });

    it('rejects bad filters by flag, exit 2', async () => {
      const { code, err } = await crm(
        dir('source'),
        'export',
        '--occurred-from',
        'yesterday',
        '--types',
        'Nope',
      );
      expect(code).toBe(2);
      expect(err).toMatch(/--occurred-from: /);
      expect(err).toMatch(/--types: unknown event type Nope/);
    });

    it('refuses a DATA_DIR without an event store', async () => {
      const missing = await crm(dir('nothing-here'), 'export');
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/No event store/);
    });
  });

  describe('export → import into an empty store → rebuild', () => {
    it('reproduces the log positions and byte-identical read models, in one thread or in several', async () => {
      expect((await crm(dir('copy'), 'import', dir('all.ndjson'))).code).toBe(0);
      const inOneThread = await crm(dir('source'), 'rebuild', '--workers', '1');
      expect(inOneThread.code).toBe(0);
      expect(inOneThread.err).toMatch(/events\/s, 1 thread\n/);
      const rebuilt = await crm(dir('copy'), 'rebuild', '--batch-size', '50', '--workers', '3');
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.err).toMatch(
        /rebuilt journeys, idic, kpi_facts and identity_index from 370 events \(log head 370\) .*, 3 threads\n/,
      );
      expect(await readModelDigest(dir('copy'))).toBe(await readModelDigest(dir('source')));
      const strip = (lines: Record<string, unknown>[]) => lines.map(({ recordedAt: _, ...rest }) => rest);
      const copy = await crm(dir('copy'), 'export');
      expect(strip(ndjson(copy.out))).toEqual(strip(ndjson(readFileSync(dir('all.ndjson'), 'utf8'))));
      // Four CLI processes, one with three threads, each loading the TypeScript sources: minutes on a busy machine.
    }, 120_000);

    it('writes nothing on a re-run: every eventId is already there', async () => {
      const again = await crm(dir('copy'), 'import', dir('all.ndjson'));
      expect(again.code).toBe(0);
      expect(again.err).toMatch(/imported 0 events .* from 370 lines/);
      expect(again.err).toMatch(/370 already present/);
      expect(await withEvents(dir('copy'), (store) => store.headPosition())).toBe(370);
    });
  });

  describe('import with bad lines', () => {
    const csv = [
      'customerId,type,eventId,occurredAt,kind,name,orderId,amount,currency,channel,items,surveyType,score',
      'good,CustomerRegistered,,2025-01-01T00:00:00Z,person,Gia,,,,,,,',
      'half,CustomerRegistered,,2025-01-01T00:00:00Z,company,"Half, Inc.",,,,,,,',
      'good,PurchaseCompleted,,2025-01-05T10:00:00Z,,,o-1,1500,EUR,web,"[{""sku"":""a"",""category"":""books"",""quantity"":1,""unitAmount"":1500}]",,',
      'half,PurchaseCompleted,,2025-01-06T10:00:00Z,,,o-9,12.5,EUR,web,,,',
      'half,SurveyAnswered,,2025-01-07T10:00:00Z,,,,,,,,nps,9',
      'ghost,SurveyAnswered,,2025-01-07T10:00:00Z,,,,,,,,csat,4',
      'good,SurveyAnswered,,2025-01-08T10:00:00Z,,,,,,,,nps,10',
    ].join('\n');

    it('reports each bad line by number and field, and writes nothing for its customer', async () => {
      writeFileSync(dir('history.csv'), csv);
      const { code, err } = await crm(dir('csv'), 'import', dir('history.csv'));
      expect(code).toBe(1);
      expect(err).toMatch(/^line 5: amount: /m);
      expect(err).toMatch(/^line 7: type: .*CUSTOMER\.NOT_FOUND/m);
      expect(err).toMatch(/imported 3 events for 1 customers from 7 lines/);
      expect(err).toMatch(/2 lines rejected, 2 customers not imported/);
      await withEvents(dir('csv'), async (store) => {
        expect((await store.readStream(customerStreamId('good'))).map((e) => e.type)).toEqual([
          'CustomerRegistered',
          'PurchaseCompleted',
          'SurveyAnswered',
        ]);
        expect(await store.readStream(customerStreamId('half'))).toEqual([]);
        expect(await store.readStream(customerStreamId('ghost'))).toEqual([]);
      });
    });

    it('derives stable eventIds for CSV lines without one, so a re-run is a no-op', async () => {
      const again = await crm(dir('csv'), 'import', dir('history.csv'));
      expect(again.err).toMatch(/imported 0 events/);
      expect(again.err).toMatch(/3 already present/);
    });

    it('rejects by the domain rules too, naming the line: a refund above what was paid', async () => {
      const lines = [
        {
          customerId: 'r',
          type: 'CustomerRegistered',
          occurredAt: '2025-01-01T00:00:00Z',
          data: { kind: 'person', name: 'R' },
        },
        {
          customerId: 'r',
          type: 'PurchaseCompleted',
          occurredAt: '2025-01-02T00:00:00Z',
          data: { orderId: 'o', amount: 100, currency: 'EUR', channel: 'web' },
        },
        'not json',
        {
          customerId: 'r',
          type: 'PurchaseRefunded',
          occurredAt: '2025-01-03T00:00:00Z',
          data: { orderId: 'o', amount: 500, currency: 'EUR' },
        },
      ];
      writeFileSync(
        dir('refund.ndjson'),
        lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'),
      );
      const { code, err } = await crm(dir('refund'), 'import', dir('refund.ndjson'));
      expect(code).toBe(1);
      expect(err).toMatch(/^line 3: \(line\): is not valid JSON$/m);
      expect(err).toMatch(/^line 4: amount: .*REFUND\.EXCEEDS_PAID/m);
      expect(await withEvents(dir('refund'), (store) => store.readStream(customerStreamId('r')))).toEqual([]);
    });

    it('reads RFC 4180 CSV: BOM, CRLF, a quoted field over several lines with doubled quotes', async () => {
      const rows = [
        'customerId,type,eventId,occurredAt,kind,name,direction,durationSeconds,outcome,notes',
        'crlf,CustomerRegistered,,2025-02-01T00:00:00Z,person,"Lin ""the CSV"" Lee",,,,',
        'crlf,CallLogged,,2025-02-02T10:00:00Z,,,inbound,60,connected,"Asked about ""bulk"" pricing,\r\nthen: call back on Monday"',
        'crlf,CallLogged,,2025-02-03T10:00:00Z,,,sideways,60,connected,',
      ];
      writeFileSync(dir('rfc4180.csv'), `\uFEFF${rows.join('\r\n')}\r\n`);
      const { code, err } = await crm(dir('rfc4180'), 'import', dir('rfc4180.csv'));
      expect(code).toBe(1);
      // The multi-line record covers lines 3-4, so the bad row is line 5.
      expect(err).toMatch(/^line 5: direction: /m);
      expect(err).toMatch(/from 3 lines/);
      expect(err).toMatch(/1 lines rejected, 1 customers not imported/);
      expect(await withEvents(dir('rfc4180'), (store) => store.readStream(customerStreamId('crlf')))).toEqual(
        [],
      );

      writeFileSync(dir('rfc4180.csv'), `\uFEFF${rows.slice(0, 3).join('\r\n')}\r\n`);
      expect((await crm(dir('rfc4180'), 'import', dir('rfc4180.csv'))).code).toBe(0);
      const exported = await crm(dir('rfc4180'), 'export', '--customer-id', 'crlf');
      expect(ndjson(exported.out).map((event) => event.data)).toEqual([
        { kind: 'person', name: 'Lin "the CSV" Lee', customerId: 'crlf' },
        {
          direction: 'inbound',
          durationSeconds: 60,
          outcome: 'connected',
          notes: 'Asked about "bulk" pricing,\r\nthen: call back on Monday',
        },
      ]);
    });

    it('refuses a CSV whose quote never closes, naming the line, and writes nothing', async () => {
      writeFileSync(
        dir('unclosed.csv'),
        [
          'customerId,type,eventId,occurredAt,kind,name',
          'open,CustomerRegistered,,2025-01-01T00:00:00Z,person,Ok',
          'open2,CustomerRegistered,,2025-01-01T00:00:00Z,person,"No end',
          'open3,CustomerRegistered,,2025-01-01T00:00:00Z,person,Later',
        ].join('\n'),
      );
      const { code, err } = await crm(dir('unclosed'), 'import', dir('unclosed.csv'));
      expect(code).toBe(1);
      expect(err).toMatch(/the file is not valid CSV: line 3: a quoted field is not closed/);
      expect(await withEvents(dir('unclosed'), (store) => store.headPosition())).toBe(0);
    });

    it('reports a CSV without the required header columns', async () => {
      writeFileSync(dir('bad-header.csv'), 'who,what\nx,y\n');
      const bad = await crm(dir('csv'), 'import', dir('bad-header.csv'));
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/lacks the column\(s\) customerId, type, occurredAt/);
    });
  });

  describe('rebuild', () => {
    it.each([['0'], ['17'], ['two'], ['1.5']])('refuses --workers %s with the usage', async (workers) => {
      const { code, err } = await crm(dir('source'), 'rebuild', '--workers', workers);
      expect(code).toBe(2);
      expect(err).toMatch(/usage: crm rebuild .*--workers N/);
    });

    it('refuses while an API process holds the DATA_DIR', async () => {
      writeFileSync(join(dir('source'), API_PID_FILE), `${process.pid}\n`);
      try {
        const { code, err } = await crm(dir('source'), 'rebuild');
        expect(code).toBe(1);
        expect(err).toMatch(new RegExp(`The API \\(pid ${process.pid}\\) is running .*stop it first`));
      } finally {
        rmSync(join(dir('source'), API_PID_FILE));
      }
    });
  });
});
