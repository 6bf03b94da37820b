import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LogLayout, RebuildRun } from './rebuild.bench';

/** What the log of a kept reads directory was written from. */
export type LogIdentity = {
  readonly events: number;
  readonly customers: number;
  readonly layout: LogLayout;
  /** Fingerprint of the history generator's code: another generator writes another log. */
  readonly generator: string;
};

/**
 * `reads-manifest.json` of a kept reads directory. `readModels` is null
 * until a rebuild of the log has finished; `code` is the fingerprint of the
 * code that writes the read models, so documents built by older code are
 * rebuilt rather than measured.
 */
export type ReadsManifest = {
  readonly log: LogIdentity & { readonly writeSeconds: number };
  readonly readModels: { readonly code: string; readonly rebuild: RebuildRun } | null;
};

/** What of a kept directory can be used as it is. */
export type Reuse = 'log-and-read-models' | 'log' | 'nothing';

export const MANIFEST_FILE = 'reads-manifest.json';

export function reuseOf(found: ReadsManifest | null, log: LogIdentity, code: string): Reuse {
  if (found === null) return 'nothing';
  const sameLog =
    found.log.events === log.events &&
    found.log.customers === log.customers &&
    found.log.layout === log.layout &&
    found.log.generator === log.generator;
  if (!sameLog) return 'nothing';
  return found.readModels?.code === code ? 'log-and-read-models' : 'log';
}

/** The manifest of `dir`, or null when there is none or it cannot be read. */
export function readManifest(dir: string): ReadsManifest | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as unknown;
    return isManifest(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isManifest(value: unknown): value is ReadsManifest {
  if (typeof value !== 'object' || value === null) return false;
  const { log, readModels } = value as { log?: unknown; readModels?: unknown };
  return typeof log === 'object' && log !== null && (readModels === null || typeof readModels === 'object');
}

/** Replaces the manifest in one rename, so a crash leaves the old one or the new one. */
export function writeManifest(dir: string, manifest: ReadsManifest): void {
  const file = join(dir, MANIFEST_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * SHA-256 over the relative paths and contents of the files under `roots`
 * (a root may be a file), specs, source maps and directories named in
 * `skip` left out; paths relative to `base` so the same code hashes the
 * same in any checkout.
 */
export function codeFingerprint(
  base: string,
  roots: readonly string[],
  skip: readonly string[] = [],
): string {
  const hash = createHash('sha256');
  for (const file of roots.flatMap((root) => filesUnder(root, skip)).sort()) {
    hash.update(relative(base, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(path: string, skip: readonly string[]): string[] {
  if (!statSync(path).isDirectory()) return /\.(spec|e2e-spec|int-spec)\.|\.map$/.test(path) ? [] : [path];
  return readdirSync(path)
    .filter((name) => !skip.includes(name))
    .flatMap((name) => filesUnder(join(path, name), skip));
}
