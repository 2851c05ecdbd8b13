// What every station window's preload does: gives its page the station methods of its window, by
// name, and the station's messages — never ipcRenderer itself, never a method of another window.
// The main process enforces the same sets again by sender (main/shell/ipc-guard.ts): a page that
// found a way around its preload still reaches nothing more.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS } from '../common/ipc.js';
import { methodsOfWindow, type StationWindow } from '../common/station-access.js';

export function exposeStation(window: StationWindow): void {
  const station = Object.fromEntries(methodsOfWindow(window).map((method) => [method, (input: unknown) => ipcRenderer.invoke(IPC_CHANNELS.call, method, input ?? {})]));
  contextBridge.exposeInMainWorld('escale', {
    station,
    onMessage(listener: (message: unknown) => void): () => void {
      const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
      ipcRenderer.on(IPC_CHANNELS.message, handler);
      return () => ipcRenderer.removeListener(IPC_CHANNELS.message, handler);
    },
  });
}
