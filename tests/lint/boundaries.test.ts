// The lint rule that keeps the process boundary: electron only in the shell and preload, no Node
// in common/ or the renderer. Linted as text at the paths where such a file would live.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('process boundary lint', () => {
  it('refuses electron in the station core, common/, server/ and the renderer', async () => {
    for (const file of ['main/station/visits/x.ts', 'main/cli/x.ts', 'common/x.ts', 'server/x.ts', 'renderer/x.ts']) {
      expect(await restrictedImports(file, "import { app } from 'electron';\nexport const a = app;\n"), file).toHaveLength(1);
    }
  });

  it('allows electron in the thin shell and preload', async () => {
    for (const file of ['main/shell/x.ts', 'preload/x.ts']) {
      expect(await restrictedImports(file, "import { app } from 'electron';\nexport const a = app;\n"), file).toEqual([]);
    }
  });

  it('refuses Node built-ins and the station core in common/ and the renderer', async () => {
    expect(await restrictedImports('common/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/x.ts', "import { tap } from '../main/station/visits/tap.js';\nexport const a = tap;\n")).toHaveLength(1);
  });

  it('keeps the hub’s admin page a browser page: common/ and its own files, the hub only through its API', async () => {
    const page = 'server/admin-ui/src/x.tsx';
    expect(await restrictedImports(page, "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await restrictedImports(page, "import { statementsPdf } from '../../accounts/render/pdf.js';\nexport const a = statementsPdf;\n")).toHaveLength(1);
    expect(await restrictedImports(page, "import { handleAdmin } from '../../hub/admin-api.js';\nexport const a = handleAdmin;\n")).toHaveLength(1);
    expect(await restrictedImports(page, "import { formatMoney } from '../../../common/money.js';\nexport const a = formatMoney;\n")).toEqual([]);
    // The hub itself may use Node and render PDFs.
    expect(await restrictedImports('server/accounts/render/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toEqual([]);
  });
});
