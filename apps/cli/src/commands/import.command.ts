import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { ImportFormatError, importHistory, ImportRecordValidator } from '@crm/analytics';
import { CustomerRepository } from '@crm/ingestion';
import { systemClock } from '@crm/platform';
import type { CliCommand } from '../cli-command';
import { parseCommandArgs, stringOption } from '../support/args';
import { formatRate, Progress } from '../support/progress';
import { configOf, openEventStore } from '../support/stores';

const USAGE = `usage: crm import FILE [--format ndjson|csv]

Imports historical events: NDJSON in the export format (or the fixture's
{customerId, type, eventId, occurredAt, data}), or CSV with the header
customerId,type,eventId,occurredAt,<data fields...> (docs/analytics.md).
The format follows the extension (.csv, else NDJSON) unless --format says.

Every line is validated like the HTTP API, then each customer's lines
through the domain rules. A bad line is reported as "line N: field: message"
and its customer gets nothing written; other customers are imported. Events
keep their eventId (a re-run writes nothing twice) and their occurredAt.
Exit status 1 when any line was rejected.

  --format ndjson|csv       override the extension
`;

export const importCommand: CliCommand = {
  name: 'import',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { format: { type: 'string' } }, USAGE, io);
    if (parsed === null) return 2;
    const [file, ...extra] = parsed.positionals;
    const format = stringOption(parsed, 'format') ?? (file && extname(file) === '.csv' ? 'csv' : 'ndjson');
    if (file === undefined || extra.length > 0 || (format !== 'ndjson' && format !== 'csv')) {
      io.stderr.write(USAGE);
      return 2;
    }
    if (!existsSync(file)) {
      io.stderr.write(`No such file: ${file}\n`);
      return 1;
    }
    const config = configOf(io);
    if (config === null) return 1;
    const events = await openEventStore(config, io, false);
    if (events === null) return 1;
    const progress = {
      validate: new Progress(io, 'import (validate)'),
      write: new Progress(io, 'import (write)'),
    };
    try {
      const summary = await importHistory({
        file,
        format,
        events,
        customers: new CustomerRepository(events, config),
        validator: new ImportRecordValidator(systemClock, config, {
          correlationId: `import-${randomUUID()}`,
          causationId: null,
          actor: 'cli',
          source: 'import',
        }),
        onProblem: ({ line, field, message }) => io.stderr.write(`line ${line}: ${field}: ${message}\n`),
        onProgress: ({ phase, lines }) => progress[phase].update(lines, null),
      });
      const seconds = progress.validate.seconds();
      progress.write.finish([
        `imported ${summary.written} events for ${summary.customersImported} customers from ${summary.lines} lines in ${seconds.toFixed(1)} s (${formatRate(summary.lines, seconds)} lines/s)`,
        `${summary.duplicates} already present (skipped), ${summary.rejectedLines} lines rejected, ${summary.customersRejected} customers not imported`,
      ]);
      return summary.rejectedLines > 0 ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ImportFormatError)) throw error;
      io.stderr.write(`${file}: ${error.message}\n`);
      return 1;
    } finally {
      await events.close();
    }
  },
};
