import { Readable } from 'node:stream';
import { type CsvRecord, CsvSyntaxError, readCsvRecords } from './csv';

async function records(text: string, chunkSize = text.length || 1): Promise<CsvRecord[]> {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const read: CsvRecord[] = [];
  for await (const record of readCsvRecords(Readable.from(chunks))) read.push(record);
  return read;
}

async function syntaxError(text: string): Promise<CsvSyntaxError> {
  try {
    await records(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a CsvSyntaxError');
}

describe('readCsvRecords (RFC 4180)', () => {
  it('reads plain and quoted fields, a comma inside quotes kept', async () => {
    expect(await records('a,b,c\n1,"Half, Inc.",3\n')).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'Half, Inc.', '3'] },
    ]);
  });

  it('keeps a line break inside a quoted field and numbers the next record by its physical line', async () => {
    expect(await records('a,notes\n1,"first line\nsecond line"\n2,x\n')).toEqual([
      { line: 1, cells: ['a', 'notes'] },
      { line: 2, cells: ['1', 'first line\nsecond line'] },
      { line: 4, cells: ['2', 'x'] },
    ]);
  });

  it('turns a doubled quote inside a quoted field into one quote, also across lines', async () => {
    expect(await records('a,b\n"say ""hi""","""quoted""\nand ""more"""\n3,4\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['say "hi"', '"quoted"\nand "more"'] },
      { line: 4, cells: ['3', '4'] },
    ]);
  });

  it('reads CRLF line ends without a trailing CR in the last field, and keeps a CRLF inside quotes', async () => {
    expect(await records('a,b\r\n1,"x\r\ny"\r\n2,z\r\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x\r\ny'] },
      { line: 4, cells: ['2', 'z'] },
    ]);
  });

  it('accepts a file that mixes LF and CRLF line ends', async () => {
    expect(await records('a,b\r\n1,2\n3,4\r\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
    ]);
  });

  it('drops a leading UTF-8 BOM from the first header cell', async () => {
    const [header] = await records('\uFEFFcustomerId,type\r\nada,CallLogged\r\n');
    expect(header).toEqual({ line: 1, cells: ['customerId', 'type'] });
  });

  it('skips blank and whitespace-only lines but counts them', async () => {
    expect(await records('a,b\n\n   \r\n1,2\n\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 4, cells: ['1', '2'] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries (a CRLF or a doubled quote split across reads)', async () => {
    const text = '\uFEFFa,b\r\n"x ""y""\r\nz",2\r\n3,4\r\n';
    const whole = await records(text);
    for (const size of [1, 2, 3, 5]) expect(await records(text, size)).toEqual(whole);
    expect(whole.map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('hands back a row whose field count differs from the header, for the caller to report', async () => {
    expect(await records('a,b\n1,2,3\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2', '3'] },
    ]);
  });

  it('rejects a quote that never closes, naming the line its record starts on', async () => {
    const error = await syntaxError('a,b\r\n1,2\r\n3,"open\r\nstill open\r\n');
    expect(error.line).toBe(3);
    expect(error.message).toBe('line 3: a quoted field is not closed before the end of the file');
  });

  it('rejects text after a closing quote, naming the line after a multi-line record', async () => {
    const error = await syntaxError('a,b\n1,"two\nlines"\n2,"bad"x\n');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/^line 4: a closing quote is followed by text/);
  });

  it('rejects a quote in the middle of an unquoted field', async () => {
    const error = await syntaxError('a,b\n1,b"c\n');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^line 2: a quote inside a field that does not start with one/);
  });
});
