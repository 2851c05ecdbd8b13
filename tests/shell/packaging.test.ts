// The packaging configuration, checked without the Electron binary: electron-builder's own schema
// validation of electron-builder.yml, the files it packs exist after the build, and native modules
// are unpacked from the asar archive.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';

const root = process.cwd();

describe('electron-builder.yml', () => {
  it('passes electron-builder’s validation', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const debug = { add: () => undefined, isEnabled: false } as unknown as Parameters<typeof validateConfiguration>[1];
    await expect(validateConfiguration(config, debug)).resolves.toBeUndefined();
  });

  it('builds Linux AppImage and deb, Windows NSIS, and unpacks native modules', () => {
    const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      linux: { target: string[] };
      win: { target: string[] };
      asarUnpack: string[];
      files: string[];
    };
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
    for (const native of ['better-sqlite3', 'serialport', 'node-hid']) expect(config.asarUnpack.join(' ')).toContain(native);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('sets the fuses of Electron’s security checklist, and packs no demo data', () => {
    const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean>; files: string[] };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The demo and the simulators live outside what is packed (demo/ → dist/demo/), and nothing of
    // resources/demo is included.
    expect(config.files.filter((f) => !f.startsWith('!')).join(' ')).not.toMatch(/demo|sim/);
    expect(fs.existsSync(path.join(root, 'main/demo')) || fs.existsSync(path.join(root, 'main/sim'))).toBe(false);
  });

  it('points at a main, the preloads and pages that the build produces', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    for (const file of [pkg.main, 'dist/preload/kiosk.cjs', 'dist/preload/reception.cjs', 'dist/preload/setup.cjs', 'dist/renderer/kiosk.html', 'dist/renderer/reception.html', 'dist/renderer/setup.html'])
      expect(fs.existsSync(path.join(root, file)), `${file} (run npm run build)`).toBe(true);
  });
});
