import {
  type ApiKeyRecord,
  ApiKeys,
  InvalidApiKeyRequestError,
  parseRoles,
  SqliteApiKeyStore,
} from '@crm/platform/api-keys';
import { type AppConfig, loadConfig } from '@crm/platform/config';
import { rotateMasterKey } from '@crm/privacy/encryption';
import type { CliCommand, CliIo } from '../cli-command';

const USAGE = `Usage:
  crm keys create --name <name> --roles <role,role>   make a key and print it (shown once)
  crm keys list                                       every key: id, name, roles, created, revoked
  crm keys revoke <id>                                the key stops working on the next request
  crm keys rotate-master                              rewrap every data key under the first key of
                                                      MASTER_KEYS; prints {rewrapped, currentMasterKeyId}

Roles: ingest, read, analyst, admin. The API key store is DATA_DIR/api-keys.sqlite
(DATA_DIR defaults to ./data), the same file the API reads; the API may be running.
rotate-master rewraps the data keys of DATA_DIR/keys.sqlite (no event is rewritten; safe
to repeat and to run beside the API); afterwards the older master keys can be removed
from MASTER_KEYS (docs/privacy.md).`;

class UsageError extends Error {}

type Action = (config: AppConfig, io: CliIo) => Promise<number>;
type ApiKeysAction = (keys: ApiKeys, io: CliIo) => Promise<number>;

/** `crm keys ...`: API keys in the embedded key store, and master key rotation, without the API. */
export class KeysCommand implements CliCommand {
  readonly name = 'keys';
  readonly usage = USAGE;

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const [action, ...rest] = args;
    try {
      const run = this.actionFor(action, rest);
      return await run(loadConfig(io.env), io);
    } catch (error) {
      if (error instanceof UsageError || error instanceof InvalidApiKeyRequestError) {
        io.stderr.write(`${error.message}\n\n${USAGE}\n`);
        return 2;
      }
      // A ConfigError's or an UnknownMasterKeyError's message says what to fix; no stack for the user.
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }

  /** Parses the arguments before any store is opened, so a usage error touches nothing. */
  private actionFor(action: string | undefined, rest: readonly string[]): Action {
    switch (action) {
      case 'create': {
        const options = parseOptions(rest, ['name', 'roles']);
        const name = options.get('name');
        const roles = options.get('roles');
        if (name === undefined || roles === undefined)
          throw new UsageError('keys create needs --name and --roles');
        const parsedRoles = parseRoles(roles);
        return withApiKeys((keys, io) => create(keys, io, name, parsedRoles));
      }
      case 'list':
        if (rest.length > 0) throw new UsageError(`keys list takes no arguments, got ${rest.join(' ')}`);
        return withApiKeys(list);
      case 'revoke': {
        const [id, ...extra] = rest;
        if (id === undefined || extra.length > 0) throw new UsageError('keys revoke takes one key id');
        return withApiKeys((keys, io) => revoke(keys, io, id));
      }
      case 'rotate-master':
        if (rest.length > 0)
          throw new UsageError(`keys rotate-master takes no arguments, got ${rest.join(' ')}`);
        return rotateMaster;
      default:
        throw new UsageError(action === undefined ? 'keys needs an action' : `Unknown action ${action}`);
    }
  }
}

/** An action on the API key store of the config, closed afterwards. */
function withApiKeys(action: ApiKeysAction): Action {
  return async (config, io) => {
    const store = SqliteApiKeyStore.open(config.auth.keyStoreFile);
    try {
      return await action(new ApiKeys(store, () => new Date()), io);
    } finally {
      await store.close();
    }
  };
}

async function rotateMaster(config: AppConfig, io: CliIo): Promise<number> {
  const result = await rotateMasterKey(config, (warning) => io.stderr.write(`${warning}\n`));
  io.stderr.write(
    `Rewrapped ${result.rewrapped} data key(s); every data key is now wrapped by master key ` +
      `${result.currentMasterKeyId}. The other master keys can be removed from MASTER_KEYS.\n`,
  );
  io.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

async function create(
  keys: ApiKeys,
  io: CliIo,
  name: string,
  roles: ReturnType<typeof parseRoles>,
): Promise<number> {
  const { key, record } = await keys.issue(name, roles);
  // The key alone on stdout, so a script can capture it; the words around it on stderr.
  io.stderr.write(
    `Created key ${record.id} "${record.name}" with roles ${record.roles.join(', ')}. ` +
      'It is shown this once; only its hash is stored.\n',
  );
  io.stdout.write(`${key}\n`);
  return 0;
}

async function list(keys: ApiKeys, io: CliIo): Promise<number> {
  const records = await keys.list();
  if (records.length === 0) {
    io.stderr.write('No keys yet: crm keys create --name <name> --roles <roles>\n');
    return 0;
  }
  const rows = [['ID', 'NAME', 'ROLES', 'CREATED', 'REVOKED'], ...records.map(row)];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((cells) => cells[column]?.length ?? 0))) ?? [];
  for (const cells of rows) {
    io.stdout.write(
      `${cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
  return 0;
}

function row(record: ApiKeyRecord): string[] {
  return [record.id, record.name, record.roles.join(','), record.createdAt, record.revokedAt ?? '-'];
}

async function revoke(keys: ApiKeys, io: CliIo, id: string): Promise<number> {
  const record = await keys.revoke(id);
  if (!record) {
    io.stderr.write(`No key ${id}; crm keys list shows the ids\n`);
    return 1;
  }
  io.stderr.write(`Revoked key ${record.id} "${record.name}" (since ${record.revokedAt ?? '?'})\n`);
  return 0;
}

/** `--name x --roles y` (or `--name=x`) into a map; anything else is a usage error. */
function parseOptions(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const option = match?.[1];
    if (option === undefined || !allowed.includes(option)) throw new UsageError(`Unexpected argument ${arg}`);
    const value = match?.[2] ?? args[++index];
    if (value === undefined || value === '') throw new UsageError(`--${option} needs a value`);
    options.set(option, value);
  }
  return options;
}
