// The official Peppol BIS Billing 3.0 rules, run on UBL files: ../shared/peppol/validate.mjs (the
// CEN EN 16931 UBL Schematron and the PEPPOL Schematron, compiled by SaxonJS from the xslt3
// package, then cached; the first run on a clean machine takes one to two minutes). One call for
// many files: each spawn of the validator loads SaxonJS again.
//
// The shared copy of SchXslt2 (schxslt2-transpile.xsl) passes its "pattern already fired" tunnel
// parameter on to a node's children, so once a pattern's rule fires on the document's root every
// rule of that pattern below it is reported as suppressed and never checked: BR-CO-10 (the sum of
// the lines), BR-S-08/09 (VAT), PEPPOL-EN16931-R120 (a line's net)… all pass whatever the
// document says. Until ../shared is corrected, the validator runs from a copy (the same rules, the
// same script) in the temp folder, its transpiler resetting that parameter for the children.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './hub-fixture.js';

export const SHARED_PEPPOL = path.resolve(root, '../shared/peppol');

const LEAK = `          <alias:apply-templates select="@*" mode="#current"/>
          <alias:apply-templates select="node()" mode="#current"/>`;
const RESET = `<alias:with-param name="Q{{http://dmaus.name/ns/2023/schxslt}}pattern" as="Q{{http://www.w3.org/2001/XMLSchema}}string*" tunnel="yes" select="()"/>`;
const FIXED = `          <alias:apply-templates select="@*" mode="#current">${RESET}</alias:apply-templates>
          <alias:apply-templates select="node()" mode="#current">${RESET}</alias:apply-templates>`;

/** The validator to run: the shared one when its transpiler is sound, else the corrected copy. */
function validator(): string {
  const shared = path.join(SHARED_PEPPOL, 'validate.mjs');
  if (!fs.existsSync(shared)) throw new Error(`the Peppol validator is not at ${shared} (../shared/peppol/ beside the project)`);
  const transpiler = fs.readFileSync(path.join(SHARED_PEPPOL, 'schxslt2-transpile.xsl'), 'utf8');
  if (!transpiler.includes(LEAK)) return shared;
  const files = ['validate.mjs', 'CEN-EN16931-UBL.sch', 'PEPPOL-EN16931-UBL.sch'];
  const hash = createHash('sha256');
  for (const f of [...files, 'schxslt2-transpile.xsl']) hash.update(fs.readFileSync(path.join(SHARED_PEPPOL, f)));
  const dir = path.join(os.tmpdir(), `escale-peppol-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(path.join(dir, 'validate.mjs'))) {
    const staging = fs.mkdtempSync(`${dir}-staging-`);
    for (const f of files) fs.copyFileSync(path.join(SHARED_PEPPOL, f), path.join(staging, f));
    fs.writeFileSync(path.join(staging, 'schxslt2-transpile.xsl'), transpiler.replace(LEAK, FIXED));
    try {
      fs.renameSync(staging, dir);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another run staged it meanwhile
    }
  }
  return path.join(dir, 'validate.mjs');
}

export interface PeppolResult {
  file: string;
  valid: boolean;
  fatal: number;
  warnings: number;
  failures: { rules: string; id?: string; flag?: string; location?: string; text?: string }[];
}

/** Every file's result, by file name (the validator exits 1 when one has a fatal or error failure: that is read, not thrown). */
export async function validatePeppol(files: readonly string[]): Promise<Map<string, PeppolResult>> {
  const script = validator();
  // Compiled rules are cached beside the copy, apart from the shared validator's own cache.
  const env = { ...process.env, PEPPOL_CACHE: path.join(path.dirname(script), 'cache') };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [script, ...files], { cwd: root, env, maxBuffer: 1 << 26 }, (error, out, err) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (error && code !== 1) reject(new Error(`the Peppol validator failed (${String(code ?? error.message)}): ${err}`));
      else resolve(out);
    });
  });
  const results = new Map<string, PeppolResult>();
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as PeppolResult;
    results.set(path.basename(r.file), r);
  }
  return results;
}
