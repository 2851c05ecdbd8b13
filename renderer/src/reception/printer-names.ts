// Printers by their name, never their id: the reception's devices (a desk method) give each
// device's name; a printer removed since is shown by its id, the only name left.
import { useCallback } from 'react';
import { useLoad, useSession } from './session.js';

export function usePrinterName(): (printerId: string) => string {
  const s = useSession();
  const devices = useLoad(() => s.api.devices({}), [s.api, s.statusVersion]);
  const data = devices.data;
  return useCallback((printerId: string) => data?.find((d) => d.id === printerId)?.name ?? printerId, [data]);
}
