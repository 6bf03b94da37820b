import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (recursively), with its raw bytes. */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

/** Which of `needles` occur in the raw bytes of any file under `dir`, as UTF-8 or UTF-16, and where. */
export function findOnDisk(dir: string, needles: readonly (string | Buffer)[]): string[] {
  const files = filesUnder(dir);
  return needles.flatMap((needle) => {
    const forms =
      typeof needle === 'string' ? [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')] : [needle];
    return files
      .filter((file) => forms.some((form) => file.bytes.includes(form)))
      .map((file) => `${typeof needle === 'string' ? needle : needle.toString('hex')} in ${file.path}`);
  });
}
