/**
 * The shell examples of a Markdown document, as `test/docs/doc-examples.e2e-spec.ts`
 * runs them. The conventions, for whoever writes docs:
 *
 * - Every fenced block tagged `sh`, `bash` or `shell` is run, in document order, in
 *   one terminal session per document (exported variables, functions and aliases
 *   carry from block to block), against a fresh embedded API.
 * - A block that cannot run there (installing, Docker, real engines, a production
 *   setting) is preceded by `<!-- doc-test: skip (the reason) -->`.
 * - `<!-- doc-test: given README.md -->` anywhere in a document runs that document's
 *   blocks first, on the same API (for examples that read what it wrote).
 * - A comment line `# → 201` right after a command states the status of the last
 *   HTTP request the command made; `# → 201 {"stage":"loyalty"}` states fields of its
 *   JSON body too (every field given must be equal, arrays element by element; a
 *   string `"…"` stands for any value, `"6f1c…"` for any string starting `6f1c`).
 *   The JSON may go on over the following comment lines indented by two or more
 *   spaces after the `#`. Text that does not start with `{` or `[` is prose.
 * - Every other HTTP request of a run block must answer below 400, and the block
 *   must exit 0.
 */

export type Expectation = {
  /** 1-based line of the `# →` comment in the document. */
  readonly line: number;
  readonly status: number;
  /** The JSON the body must contain, or undefined when only the status is stated. */
  readonly body?: unknown;
};

export type ShellBlock = {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The reason given by `<!-- doc-test: skip (reason) -->`, or null when the block runs. */
  readonly skip: string | null;
  /** The block's lines as written. */
  readonly source: string;
  /** The block's lines with each expectation comment replaced by `__doc_expect <index>`. */
  readonly script: string;
  readonly expectations: readonly Expectation[];
};

export type DocExamples = {
  readonly blocks: readonly ShellBlock[];
  /** Documents named by `<!-- doc-test: given … -->`, whose blocks run first. */
  readonly given: readonly string[];
};

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const SHELL = new Set(['sh', 'bash', 'shell']);
const SKIP = /^<!--\s*doc-test:\s*skip\s*\((.+)\)\s*-->$/;
const GIVEN = /<!--\s*doc-test:\s*given\s+(\S+)\s*-->/g;
const GIVEN_LINE = /^<!--\s*doc-test:\s*given\s+\S+\s*-->$/;
const MARKER = /<!--\s*doc-test:/;
const EXPECT = /^# → (\d{3})\b\s*(.*)$/;
const EXPECT_MORE = /^#\s{2,}(.*)$/;

export class DocExamplesError extends Error {}

/** Parses a document's shell blocks, their skip markers and their stated results. */
export function parseDocExamples(markdown: string, name = 'document'): DocExamples {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const open = FENCE.exec(lines[index] as string);
    if (open === null) {
      index += 1;
      continue;
    }
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const closeAt = closingFence(lines, index + 1, fence);
    if (SHELL.has(info)) {
      const body = lines.slice(index + 1, closeAt).map((line) => line.slice(indent.length));
      blocks.push(shellBlock(body, index + 1, skipReason(lines, index, name), name));
    }
    index = closeAt + 1;
  }
  const given = [...markdown.matchAll(GIVEN)].map((match) => match[1] as string);
  return { blocks, given };
}

function closingFence(lines: readonly string[], from: number, fence: string): number {
  for (let index = from; index < lines.length; index += 1) {
    if ((lines[index] as string).trim().startsWith(fence)) return index;
  }
  return lines.length;
}

/** The marker on the last non-blank line above the fence; any other doc-test comment there is a typo. */
function skipReason(lines: readonly string[], fenceAt: number, name: string): string | null {
  let above = fenceAt - 1;
  while (above >= 0 && (lines[above] as string).trim() === '') above -= 1;
  const text = above >= 0 ? (lines[above] as string).trim() : '';
  const skip = SKIP.exec(text);
  if (skip !== null) return (skip[1] as string).trim();
  if (MARKER.test(text) && !GIVEN_LINE.test(text)) {
    throw new DocExamplesError(`${name}:${above + 1}: unreadable marker ${text}`);
  }
  return null;
}

function shellBlock(
  body: readonly string[],
  fenceLine: number,
  skip: string | null,
  name: string,
): ShellBlock {
  const expectations: Expectation[] = [];
  const script: string[] = [];
  for (let at = 0; at < body.length; at += 1) {
    const match = EXPECT.exec(body[at] as string);
    if (match === null) {
      script.push(body[at] as string);
      continue;
    }
    const line = fenceLine + 1 + at;
    let text = (match[2] as string).trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      while (!parses(text) && EXPECT_MORE.test(body[at + 1] ?? '')) {
        at += 1;
        text += (EXPECT_MORE.exec(body[at] as string) as RegExpExecArray)[1];
      }
      if (!parses(text)) throw new DocExamplesError(`${name}:${line}: the stated body is not JSON: ${text}`);
      expectations.push({ line, status: Number(match[1]), body: JSON.parse(text) as unknown });
    } else {
      expectations.push({ line, status: Number(match[1]) });
    }
    script.push(`__doc_expect ${expectations.length - 1}`);
  }
  return { line: fenceLine, skip, source: body.join('\n'), script: script.join('\n'), expectations };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `actual` differs from what `expected` states, as `path: why` lines (none: it
 * matches). Objects: every stated key, recursively; arrays: the same length and each
 * element matching; `"…"` anything; `"abc…"` a string starting `abc`.
 */
export function mismatches(expected: unknown, actual: unknown, path = 'body'): string[] {
  if (typeof expected === 'string' && expected.endsWith('…')) {
    const prefix = expected.slice(0, -1);
    if (prefix === '') return actual === undefined ? [`${path}: missing`] : [];
    return typeof actual === 'string' && actual.startsWith(prefix)
      ? []
      : [`${path}: ${JSON.stringify(actual)} does not start with ${JSON.stringify(prefix)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: ${JSON.stringify(actual)} is not an array`];
    if (actual.length !== expected.length) {
      return [`${path}: ${actual.length} items, ${expected.length} stated`];
    }
    return expected.flatMap((item, at) => mismatches(item, actual[at], `${path}[${at}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: ${JSON.stringify(actual)} is not an object`];
    }
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).flatMap(([key, value]) =>
      key in record ? mismatches(value, record[key], `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return Object.is(expected, actual)
    ? []
    : [`${path}: ${JSON.stringify(actual)}, stated ${JSON.stringify(expected)}`];
}
