// Printers and readers by their name, never their id: the reception's devices (a desk method) give
// each device's name; a device removed since is shown by its id, the only name left.
import { useCallback } from 'react';
import { useLoad, useSession } from './session.js';

export function useDeviceName(): (deviceId: string) => string {
  const s = useSession();
  const devices = useLoad(() => s.api.devices({}), [s.api, s.statusVersion]);
  const data = devices.data;
  return useCallback((deviceId: string) => data?.find((d) => d.id === deviceId)?.name ?? deviceId, [data]);
}

/** Printers by name: a printer is a device. */
export const usePrinterName = useDeviceName;
