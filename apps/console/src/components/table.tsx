import type { ComponentChildren } from 'preact';

export type Column<T> = {
  readonly header: string;
  /** What the cell shows. */
  readonly cell: (row: T) => ComponentChildren;
  /** The raw value behind it (numbers unformatted), kept in data-value. */
  readonly value?: (row: T) => string | number | null;
  readonly numeric?: boolean;
};

type TableProps<T> = {
  readonly caption: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly testId?: string;
  readonly empty?: string;
};

/** A plain table with a caption and column headers; numbers right-aligned with their raw value kept. */
export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  testId,
  empty = 'Nothing to show',
}: TableProps<T>) {
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" class={column.numeric ? 'num' : undefined} key={column.header}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)} data-row={rowKey(row)}>
                {columns.map((column, index) => {
                  const raw = column.value?.(row);
                  const Cell = index === 0 ? 'th' : 'td';
                  return (
                    <Cell
                      key={column.header}
                      scope={index === 0 ? 'row' : undefined}
                      class={column.numeric ? 'num' : undefined}
                      data-column={column.header}
                      data-value={raw === null || raw === undefined ? undefined : String(raw)}
                    >
                      {column.cell(row)}
                    </Cell>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
