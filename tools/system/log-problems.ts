import { readFileSync } from 'node:fs';

/** A log line that says something went wrong, and where. */
export type LogProblem = { readonly source: string; readonly line: number; readonly text: string };

/** Node's own warnings on stderr ("(node:123) [DEP0040] …" and its hint line): not the product's errors. */
const NODE_WARNING = /^\(node:\d+\) |^\(Use `node --trace-/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The lines of a process's combined stdout and stderr that report an error:
 * JSON log lines at level error or fatal, any line naming an unhandled or
 * uncaught error, and any line that is not a JSON log line at all (a crash
 * writes its stack to stderr as plain text), except Node's own warnings.
 */
export function logProblems(source: string, text: string): LogProblem[] {
  const problems: LogProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const problem = { source, line: index + 1, text: line.slice(0, 500) };
    if (/unhandled|uncaught/i.test(line)) return void problems.push(problem);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (!NODE_WARNING.test(line)) problems.push(problem);
      return;
    }
    if (!isObject(parsed) || typeof parsed.level !== 'string') return void problems.push(problem);
    if (parsed.level === 'error' || parsed.level === 'fatal') problems.push(problem);
  });
  return problems;
}

/** logProblems of a log file (an absent file has none). */
export function logFileProblems(source: string, file: string): LogProblem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return logProblems(source, text);
}
