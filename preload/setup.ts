// The set-up window's preload (a first start, before the station exists): one function, setting
// the station up from the hub's address and its credential.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS } from '../common/ipc.js';

contextBridge.exposeInMainWorld('escaleSetup', {
  setUpStation: (input: unknown) => ipcRenderer.invoke(IPC_CHANNELS.setup, input ?? {}),
});
