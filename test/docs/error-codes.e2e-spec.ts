import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A stable error code as written in the sources: `'AREA.WHAT'`. */
const CODE_LITERAL = /['"`]([A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'testing' || entry.name === 'test' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(e2e-|int-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

function codesInSources(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(CODE_LITERAL)) {
      const code = match[1] as string;
      if (!codes.has(code)) codes.set(code, file.slice(ROOT.length + 1));
    }
  }
  return codes;
}

describe('docs/errors.md', () => {
  const documented = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');

  it('lists every error code the sources can raise', () => {
    const missing = [...codesInSources()]
      .filter(([code]) => !documented.includes(`\`${code}\``))
      .map(([code, file]) => `${code} (${file})`);

    expect(missing).toEqual([]);
  });

  it('lists no code the sources do not have', () => {
    const inSources = codesInSources();
    const documentedCodes = [...documented.matchAll(/`([A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*)`/g)].map(
      (match) => match[1] as string,
    );

    expect(documentedCodes.filter((code) => !inSources.has(code))).toEqual([]);
  });
});
