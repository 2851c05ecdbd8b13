// Each window's preload, as built (dist/preload/<window>.cjs), run in a plain Node vm with a
// stand-in for the one module a sandboxed preload may require (electron: contextBridge and
// ipcRenderer, which exist only inside Electron): what each exposes to its page, and what a call
// sends over IPC. The kiosk's page gets the kiosk's methods and nothing else.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { methodsOfWindow } from '../../common/station-access.js';
import { IPC_CHANNELS } from '../../common/ipc.js';

interface Loaded {
  exposed: Record<string, Record<string, unknown>>;
  invoked: unknown[][];
  required: string[];
}

function loadPreload(window: 'kiosk' | 'reception' | 'setup'): Loaded {
  const file = path.resolve('dist/preload', `${window}.cjs`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  const loaded: Loaded = { exposed: {}, invoked: [], required: [] };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (loaded.exposed[key] = api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        loaded.invoked.push(args);
        return Promise.resolve({ ok: true, value: null });
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const module = { exports: {} };
  const sandbox = {
    module,
    exports: module.exports,
    require: (name: string) => {
      loaded.required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file });
  return loaded;
}

describe('the windows’ preloads', () => {
  it('the kiosk’s exposes the kiosk’s methods only, and requires nothing but electron', async () => {
    const k = loadPreload('kiosk');
    expect(k.required).toEqual(['electron']);
    expect(Object.keys(k.exposed)).toEqual(['escale']);
    const station = k.exposed.escale!.station as Record<string, (i: unknown) => Promise<unknown>>;
    expect(Object.keys(station).sort()).toEqual(['kioskReading', 'kioskSettings', 'siteProfile', 'syncStatus', 'tap']);
    expect(station.checkIn).toBeUndefined();
    expect(k.exposed.escale!.ipcRenderer).toBeUndefined();
    await station.tap!({ uid: '00137504CD' });
    expect(k.invoked).toEqual([[IPC_CHANNELS.call, 'tap', { uid: '00137504CD' }]]);
  });

  it('the reception’s exposes the reception’s methods, never a command-line one', () => {
    const r = loadPreload('reception');
    const station = r.exposed.escale!.station as Record<string, unknown>;
    expect(Object.keys(station).sort()).toEqual(methodsOfWindow('reception').sort());
    for (const cli of ['purgeGuests', 'autoClose', 'allowPrinterFile']) expect(station[cli], cli).toBeUndefined();
  });

  it('the set-up window’s exposes one function and no station', async () => {
    const s = loadPreload('setup');
    expect(Object.keys(s.exposed)).toEqual(['escaleSetup']);
    expect(Object.keys(s.exposed.escaleSetup!)).toEqual(['setUpStation']);
    await (s.exposed.escaleSetup!.setUpStation as (i: unknown) => Promise<unknown>)({ hubUrl: 'https://hub.example', credential: 'x' });
    expect(s.invoked).toEqual([[IPC_CHANNELS.setup, { hubUrl: 'https://hub.example', credential: 'x' }]]);
  });
});
