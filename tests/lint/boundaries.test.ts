// The lint rule that keeps the process boundary: electron only in the shell and preload, no Node
// in common/ or the renderer. Linted as text at the paths where such a file would live.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** What the layers rule (eslint.config.js, LAYERS) says of `code` placed at `filePath`. */
async function layerViolations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'escale/layers').map((m) => m.message);
}

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

describe('layers lint', () => {
  const importing = (source: string) => `import * as x from '${source}';\nexport const a = x;\n`;

  it('keeps the station app and the hub apart: main/ never imports server/, nor server/ main/', async () => {
    expect(await layerViolations('main/runtime/x.ts', importing('../../server/hub/hub-server.js'))).toHaveLength(1);
    expect(await layerViolations('main/station/visits/x.ts', importing('../../../server/store/store.js'))).toHaveLength(1);
    expect(await layerViolations('server/hub/x.ts', importing('../../main/station/station.js'))).toHaveLength(1);
    // Re-exports and dynamic imports are imports too.
    expect(await layerViolations('main/cli/x.ts', "export { startHub } from '../../server/hub/hub-server.js';\n")).toHaveLength(1);
    expect(await layerViolations('server/cli/x.ts', "export const load = () => import('../../main/cli/escale-station.js');\n")).toHaveLength(1);
    // Both may use common/; the demo, outside the app, may use both.
    expect(await layerViolations('main/host/x.ts', importing('../../common/station-api.js'))).toEqual([]);
    expect(await layerViolations('server/hub/x.ts', importing('../../common/sync/protocol.js'))).toEqual([]);
    expect(await layerViolations('demo/x.ts', importing('../server/hub/hub-server.js'))).toEqual([]);
  });

  it('keeps the station core free of runtime, device, sync, host, CLI and shell code', async () => {
    for (const folder of ['runtime/station-runtime', 'hardware/device-manager', 'sync/sync-client', 'host/local-host', 'cli/escale-station', 'shell/ipc-guard'])
      expect(await layerViolations('main/station/visits/x.ts', importing(`../../${folder}.js`)), folder).toHaveLength(1);
    // Its own folders of the same names are its own.
    expect(await layerViolations('main/station/visits/x.ts', importing('../devices/print-jobs.js'))).toEqual([]);
    expect(await layerViolations('main/station/visits/x.ts', importing('../sync/outbox-sync.js'))).toEqual([]);
    // The others may use the core, through its ports.
    expect(await layerViolations('main/hardware/x.ts', importing('../station/station.js'))).toEqual([]);
  });

  it("lets only the station core (and the tests) reach the station's context", async () => {
    for (const file of ['main/sync/x.ts', 'main/hardware/x.ts', 'main/host/x.ts', 'main/runtime/x.ts', 'main/cli/x.ts'])
      expect(await layerViolations(file, importing('../station/context.js')), file).toHaveLength(1);
    expect(await layerViolations('main/station/visits/x.ts', importing('../context.js'))).toEqual([]);
    expect(await layerViolations('tests/station/x.test.ts', importing('../../main/station/context.js'))).toEqual([]);
  });
});
