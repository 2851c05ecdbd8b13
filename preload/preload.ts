// Preload: gives the windows the station API as named functions (one per method of the station
// API) and the station's messages — never ipcRenderer itself. Bundled into one CommonJS file
// (preload/vite.config.ts) because a sandboxed preload can require nothing but electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS } from '../common/ipc.js';
import { STATION_METHODS, type StationApi } from '../common/station-api.js';

const station = Object.fromEntries(STATION_METHODS.map((method) => [method, (input: unknown) => ipcRenderer.invoke(IPC_CHANNELS.call, method, input ?? {})])) as unknown as StationApi;

contextBridge.exposeInMainWorld('escale', {
  station,
  onMessage(listener: (message: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(IPC_CHANNELS.message, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.message, handler);
  },
});
