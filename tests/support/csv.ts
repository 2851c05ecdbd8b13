// RFC 4180 read back in tests, written independently of the writers it checks (server/accounts/
// render/csv.ts) and of the hub's lenient import parser: quoted fields, doubled quotes, and every
// line ended by CRLF — a bare LF or a last line without CRLF is an error.

/** The rows of a CSV text, as written (`separator`: the accounting journal's is a semicolon). */
export function readCsvRows(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else if (c === '\n') throw new Error(`a bare LF at ${i}: RFC 4180 lines end with CRLF`);
    else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** The rows after the header, as objects keyed by the header's names. */
export function readCsvRecords(text: string): Record<string, string>[] {
  const [header, ...body] = readCsvRows(text) as [string[], ...string[][]];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
}
