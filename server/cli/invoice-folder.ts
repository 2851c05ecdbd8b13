// `escale-hub invoices --out DIR`: a closed month's documents written into a folder, each file whole
// then renamed into place, the manifest last (a folder with a manifest holds every file it names).
import fs from 'node:fs';
import path from 'node:path';
import type { Accounts } from '../accounts/accounts.js';
import { InvoicingError } from '../accounts/invoicing/issue.js';
import { invoiceFiles } from '../accounts/invoicing/manifest.js';

type InputError = (code: string, message: string) => Error;

function writeWhole(file: string, body: Buffer | string, inputError: InputError): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, body);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw inputError('CANNOT_WRITE', `cannot write ${file}: ${(e as Error).message}`);
  }
}

export async function writeInvoiceFolder(accounts: Accounts, period: string, payerId: string | undefined, dir: string, inputError: InputError) {
  let docs;
  try {
    docs = await accounts.invoiceFiles(period, payerId);
  } catch (e) {
    if (e instanceof InvoicingError) throw inputError(e.code, e.message);
    throw e;
  }
  if (payerId !== undefined && docs.length === 0) throw inputError('NOT_FOUND', `no invoice or credit note for payer "${payerId}" in ${period}: check the payer id, or its balance that month`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw inputError('CANNOT_WRITE', `cannot make the folder ${dir}: ${(e as Error).message}`);
  }
  const { files, manifest } = invoiceFiles(period, docs);
  for (const [name, bytes] of files) writeWhole(path.join(dir, name), bytes, inputError);
  const manifestFile = path.join(dir, 'manifest.json');
  writeWhole(manifestFile, JSON.stringify(manifest, null, 2) + '\n', inputError);
  return { period, written: dir, documents: manifest.documents.length, files: files.size, manifest: manifestFile };
}
