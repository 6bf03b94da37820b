import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The CDNOW 1/10 sample (2,357 customers who first bought in the first
 * quarter of 1997, their purchases to June 1998) that Fader, Hardie & Lee
 * fitted in "Counting your customers the easy way" (2005), as the MIT-licensed
 * PyPI package lifetimes 0.11.3 ships it. Fetched with pip into a cache that
 * is not committed (`.datasets/`, or DATASETS_DIR); the wheel's digest is
 * pinned. Throws when it cannot be fetched: a validation that needs it fails
 * rather than skipping.
 */
export const LIFETIMES = 'lifetimes==0.11.3';
const WHEEL = 'Lifetimes-0.11.3-py3-none-any.whl';
const WHEEL_SHA256 = '261e3dc89977c2b60767ca6728aaa29d429de0c814635070a749c36555895da8';
const FILES = ['CDNOW_sample.txt', 'cdnow_customers_summary_with_transactions.csv'] as const;

export type CdnowFiles = {
  /** Raw transactions: master id, sample id (1–2357), date YYYYMMDD, CDs bought, dollar value. */
  readonly transactions: string;
  /** The paper's calibration summary per customer: ID, x, t_x, T (weeks, 2 decimals), zbar (dollars). */
  readonly summary: string;
};

export function datasetsDir(): string {
  return resolve(process.env.DATASETS_DIR ?? join(__dirname, '..', '..', '.datasets'));
}

export function cdnowFiles(dir: string = join(datasetsDir(), 'cdnow')): CdnowFiles {
  const paths = { transactions: join(dir, FILES[0]), summary: join(dir, FILES[1]) };
  if (existsSync(paths.transactions) && existsSync(paths.summary)) return paths;
  mkdirSync(dir, { recursive: true });
  const wheel = join(dir, WHEEL);
  if (!existsSync(wheel)) {
    execFileSync(
      'python3',
      ['-m', 'pip', 'download', LIFETIMES, '--no-deps', '--disable-pip-version-check', '-d', dir],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 120_000,
      },
    );
  }
  if (!existsSync(wheel))
    throw new Error(`pip download ${LIFETIMES} left no ${WHEEL} in ${dir}: ${readdirSync(dir).join(', ')}`);
  const digest = createHash('sha256').update(readFileSync(wheel)).digest('hex');
  if (digest !== WHEEL_SHA256) throw new Error(`${WHEEL} has sha256 ${digest}, expected ${WHEEL_SHA256}`);
  // A wheel is a zip archive; Python (which pip needs anyway) reads it.
  const extract = [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'for name in sys.argv[3:]:',
    '    open(sys.argv[2] + "/" + name, "wb").write(z.read("lifetimes/datasets/" + name))',
  ].join('\n');
  execFileSync('python3', ['-c', extract, wheel, dir, ...FILES], { stdio: ['ignore', 'ignore', 'pipe'] });
  return paths;
}

export type CdnowTransaction = { readonly customer: number; readonly date: string; readonly dollars: number };

/** The raw transactions, in file order (by customer, then date). */
export function cdnowTransactions(files: CdnowFiles): CdnowTransaction[] {
  return readFileSync(files.transactions, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, customer = '', date = '', , dollars = ''] = line.trim().split(/\s+/);
      return {
        customer: Number(customer),
        date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
        dollars: Number(dollars),
      };
    });
}

export type CdnowSummary = {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly zbar: number;
};

/** The paper's per-customer summary, by sample id. */
export function cdnowSummary(files: CdnowFiles): Map<number, CdnowSummary> {
  const [, ...rows] = readFileSync(files.summary, 'utf8').trim().split('\n');
  return new Map(
    rows.map((row) => {
      const [id, x, tx, T, zbar] = row.split(',').map(Number);
      return [id ?? 0, { x: x ?? 0, tx: tx ?? 0, T: T ?? 0, zbar: zbar ?? 0 }] as const;
    }),
  );
}

/**
 * The transactions as an import file (NDJSON in the fixture format): each
 * customer registered on their first purchase day, each transaction a
 * PurchaseCompleted at noon UTC of its day in cents. The product refuses a
 * purchase of 0 (amounts are ≥ 1 minor unit): the sample's eight $0.00
 * transactions are recorded at 1 cent, so their days still count as
 * purchase days, as in the paper.
 */
export function writeCdnowImport(transactions: readonly CdnowTransaction[], file: string): void {
  const lines: string[] = [];
  const seen = new Set<number>();
  transactions.forEach((t, index) => {
    const customerId = `cdnow-${String(t.customer).padStart(4, '0')}`;
    if (!seen.has(t.customer)) {
      seen.add(t.customer);
      lines.push(
        JSON.stringify({
          customerId,
          type: 'CustomerRegistered',
          occurredAt: `${t.date}T00:00:00Z`,
          data: { customerId, kind: 'person', name: `CDNOW ${t.customer}` },
        }),
      );
    }
    lines.push(
      JSON.stringify({
        customerId,
        type: 'PurchaseCompleted',
        occurredAt: `${t.date}T12:00:00Z`,
        data: {
          orderId: `cdnow-${index + 1}`,
          amount: Math.max(1, Math.round(t.dollars * 100)),
          currency: 'USD',
          channel: 'web',
        },
      }),
    );
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
}
