import 'reflect-metadata';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { claimDataDir, loadConfig } from '@crm/platform';
import { createApp } from '../../apps/api/src/create-app';
import {
  type DocExamples,
  mismatches,
  parseDocExamples,
  type ShellBlock,
} from '../../tools/doc-examples/doc-blocks';

/**
 * Runs every shell example of README.md and docs/*.md as a user would paste it
 * (conventions: tools/doc-examples/doc-blocks.ts). Each document gets a fresh
 * embedded API on a random loopback port, its DATA_DIR at `data/` under the
 * session's working directory, as `npm start` makes it there, and one bash
 * session: `CRM_URL` points at the API and `CRM_API_KEY` holds the dev key, the
 * two variables the README has a user set. `curl` is wrapped to record each
 * response; `npx crm` runs the CLI's main on the sources, so no build is needed.
 */

const ROOT = join(__dirname, '..', '..');
const REGISTER_TS = join(ROOT, 'test', 'support', 'register-ts.js');
const CLI_MAIN = join(ROOT, 'apps', 'cli', 'src', 'main.ts');
/** Fewer than this many blocks run means the extraction broke, not that the docs lost their examples. */
const MIN_BLOCKS_RUN = 12;

const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** What every block's script starts with: the wrappers, then the session so far. */
const PRELUDE = String.raw`
set -e
shopt -s expand_aliases
curl() {
  local n=$(( $(cat "$DOC_OUT/calls" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$DOC_OUT/calls"
  printf '%s\n' "$*" > "$DOC_OUT/$n.request"
  local rc=0
  command curl -o "$DOC_OUT/$n.body" -w '%{http_code}' "$@" > "$DOC_OUT/$n.status" || rc=$?
  cat "$DOC_OUT/$n.body" 2>/dev/null || true
  return $rc
}
npx() {
  if [ "$1" = crm ]; then shift; node -r "$DOC_REGISTER_TS" "$DOC_CLI_MAIN" "$@"; else command npx "$@"; fi
}
__doc_expect() { cat "$DOC_OUT/calls" 2>/dev/null > "$DOC_OUT/expect-$1" || echo 0 > "$DOC_OUT/expect-$1"; }
if [ -f "$DOC_STATE" ]; then . "$DOC_STATE"; fi
`;

/** Saves what the next block of the session inherits: exported variables, functions, aliases, directory. */
const EPILOGUE = String.raw`
{ export -p | grep -v '^declare -x DOC_'; declare -f; alias -p; printf 'cd %q\n' "$PWD"; } > "$DOC_STATE"
`;

type Session = {
  readonly dir: string;
  readonly out: string;
  readonly env: NodeJS.ProcessEnv;
  counter: number;
};

type RunResult = { readonly code: number | null; readonly output: string; readonly out: string };

function examplesOf(document: string): DocExamples {
  return parseDocExamples(readFileSync(join(ROOT, document), 'utf8'), document);
}

class DocApi {
  private constructor(
    private readonly app: NestFastifyApplication,
    private readonly release: () => void,
    readonly url: string,
    readonly key: string,
  ) {}

  static async start(dataDir: string): Promise<DocApi> {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'error', PROJECTIONS_THREAD: 'main' };
    const app = await createApp(loadConfig(env), { env });
    await app.listen(0, '127.0.0.1');
    // As main.ts does: `crm rebuild` must see the API running on this DATA_DIR.
    const release = claimDataDir(dataDir);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const key = readFileSync(join(dataDir, 'dev-api-key'), 'utf8').trim();
    return new DocApi(app, release, `http://127.0.0.1:${port}`, key);
  }

  async stop(): Promise<void> {
    await this.app.close();
    this.release();
  }
}

/** Runs a block as its own bash process (asynchronously: the API answers from this process). */
async function runBlock(session: Session, block: ShellBlock): Promise<RunResult> {
  session.counter += 1;
  const out = join(session.out, String(session.counter));
  mkdirSync(out);
  const script = join(out, 'block.sh');
  writeFileSync(script, `${PRELUDE}\n${block.script}\n${EPILOGUE}`);
  const options = {
    cwd: session.dir,
    env: { ...session.env, DOC_OUT: out },
    encoding: 'utf8' as const,
    timeout: 150_000,
    maxBuffer: 64 * 1024 * 1024,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [script], options);
    return { code: 0, output: `${stdout}${stderr}`, out };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    const code = typeof failed.code === 'number' ? failed.code : null;
    return { code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`, out };
  }
}

type Call = { readonly n: number; readonly request: string; readonly status: number; readonly body: string };

function calls(out: string): Call[] {
  const count = existsSync(join(out, 'calls')) ? Number(readFileSync(join(out, 'calls'), 'utf8')) : 0;
  return Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    const read = (suffix: string): string =>
      existsSync(join(out, `${n}.${suffix}`)) ? readFileSync(join(out, `${n}.${suffix}`), 'utf8') : '';
    return { n, request: read('request').trim(), status: Number(read('status')), body: read('body') };
  });
}

/** Every way the run differs from what the document states, one line each. */
function problems(document: string, block: ShellBlock, result: RunResult): string[] {
  const found: string[] = [];
  if (result.code !== 0) found.push(`exit status ${String(result.code)}`);
  const made = calls(result.out);
  const stated = new Map<number, number>();
  block.expectations.forEach((expectation, index) => {
    const where = `${document}:${expectation.line}`;
    const file = join(result.out, `expect-${index}`);
    if (!existsSync(file)) return found.push(`${where}: not reached`);
    const call = made[Number(readFileSync(file, 'utf8')) - 1];
    if (call === undefined) return found.push(`${where}: no HTTP request before it`);
    stated.set(call.n, expectation.status);
    if (call.status !== expectation.status) {
      found.push(
        `${where}: ${call.request} answered ${call.status}, stated ${expectation.status}: ${call.body}`,
      );
    }
    if (expectation.body !== undefined) {
      const body = parseJson(call.body);
      const differences = body === undefined ? ['body: not JSON'] : mismatches(expectation.body, body);
      found.push(...differences.map((difference) => `${where}: ${difference}`));
    }
    return undefined;
  });
  for (const call of made) {
    if (!stated.has(call.n) && !(call.status >= 200 && call.status < 400)) {
      found.push(`${document}:${block.line}: ${call.request} answered ${call.status}: ${call.body}`);
    }
  }
  return found;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

let blocksRun = 0;

describe('shell examples of the docs', () => {
  for (const document of DOCUMENTS) {
    const examples = examplesOf(document);
    const runnable = examples.blocks.filter((block) => block.skip === null);
    if (runnable.length === 0) continue;

    describe(document, () => {
      let api: DocApi;
      let session: Session;
      let root: string;

      beforeAll(async () => {
        root = mkdtempSync(join(tmpdir(), 'crm-doc-examples-'));
        const dir = join(root, 'session');
        mkdirSync(join(dir, 'data'), { recursive: true });
        mkdirSync(join(root, 'out'));
        api = await DocApi.start(join(dir, 'data'));
        session = {
          dir,
          out: join(root, 'out'),
          counter: 0,
          env: {
            PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
            HOME: process.env.HOME,
            LANG: 'C.UTF-8',
            CRM_URL: api.url,
            CRM_API_KEY: api.key,
            LOG_LEVEL: 'warn',
            DOC_STATE: join(root, 'state.sh'),
            DOC_REGISTER_TS: REGISTER_TS,
            DOC_CLI_MAIN: CLI_MAIN,
          },
        };
        for (const given of examples.given) {
          for (const block of examplesOf(given).blocks.filter((candidate) => candidate.skip === null)) {
            const result = await runBlock(session, block);
            const found = problems(given, block, result);
            if (found.length > 0) throw new Error(`given ${given}:${block.line}:\n${found.join('\n')}`);
          }
        }
      }, 300_000);

      afterAll(async () => {
        await api?.stop();
        if (root !== undefined) rmSync(root, { recursive: true, force: true });
      });

      for (const block of runnable) {
        it(`line ${block.line} runs and answers as stated`, async () => {
          const result = await runBlock(session, block);
          blocksRun += 1;
          const found = problems(document, block, result);
          if (found.length > 0) {
            throw new Error(`${found.join('\n')}\n--- the block's output:\n${result.output.slice(-4000)}`);
          }
        }, 180_000);
      }
    });
  }

  it('ran enough blocks that the extraction cannot have silently found none', () => {
    expect(blocksRun).toBeGreaterThanOrEqual(MIN_BLOCKS_RUN);
  });
});
