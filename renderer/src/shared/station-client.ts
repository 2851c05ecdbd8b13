// The renderer's one door to the station: the typed station API of common/, served by Electron's
// preload (window.escale) or, in a browser, by the local host over WebSocket with the token from
// the page address (#token=…). Reconnects by itself; pages show when it is not connected.
// First: zod must know it may not use eval before the contracts below define their schemas.
import './zod-without-eval.js';
import type { Result } from '../../../common/result.js';
import type { StationApi, StationMethod } from '../../../common/station-api.js';
import { HOST_API_PATH, type HostMessage } from '../../../common/host-protocol.js';

export interface StationConnection {
  api: StationApi;
  /** Taps from this station's readers, with what the station made of them. */
  onHostMessage(listener: (m: Exclude<HostMessage, { kind: 'answer' }>) => void): () => void;
  /** Whether the page reaches the station (not the hub: that is syncStatus). */
  onConnection(listener: (connected: boolean) => void): () => void;
  readonly connected: boolean;
}

/** What preload/preload.ts exposes in Electron: the station API by name, and the station's messages. */
interface PreloadBridge {
  station: StationApi;
  onMessage(listener: (m: unknown) => void): () => void;
}

declare global {
  interface Window {
    escale?: PreloadBridge;
  }
}

const CALL_TIMEOUT_MS = 15_000;

export function connectStation(location: Location = window.location): StationConnection {
  const messageListeners = new Set<(m: Exclude<HostMessage, { kind: 'answer' }>) => void>();
  const connectionListeners = new Set<(c: boolean) => void>();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let connected = false;
  let socket: WebSocket | undefined;
  let nextId = 1;
  let retryMs = 250;

  const setConnected = (c: boolean) => {
    connected = c;
    for (const l of connectionListeners) l(c);
  };
  const dispatch = (m: HostMessage) => {
    if (m.kind === 'answer') {
      pending.get(m.id)?.(m.result);
      pending.delete(m.id);
    } else for (const l of messageListeners) l(m);
  };

  let call: (method: StationMethod, input: unknown) => Promise<Result<unknown>>;
  const bridge = window.escale;
  if (bridge) {
    call = (method, input) => (bridge.station[method] as (i: unknown) => Promise<Result<unknown>>)(input);
    bridge.onMessage((m) => dispatch(m as HostMessage));
    setTimeout(() => setConnected(true));
  } else {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    const open = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${HOST_API_PATH}?token=${encodeURIComponent(token)}`);
      socket = ws;
      ws.onopen = () => {
        retryMs = 250;
        setConnected(true);
      };
      ws.onmessage = (e) => dispatch(JSON.parse(String(e.data)) as HostMessage);
      ws.onclose = () => {
        socket = undefined;
        setConnected(false);
        for (const [id, resolve] of pending) {
          resolve({ ok: false, error: { code: 'INTERNAL', message: 'The connection to the station was lost; try again.' } });
          pending.delete(id);
        }
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
    };
    open();
    call = (method, input) =>
      new Promise((resolve) => {
        if (!socket || socket.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { code: 'INTERNAL', message: 'The station is not reachable right now; try again in a moment.' } });
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'INTERNAL', message: 'The station did not answer in time; try again.' } });
        }, CALL_TIMEOUT_MS);
        pending.set(id, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        socket.send(JSON.stringify({ id, method, input }));
      });
  }

  const api = new Proxy({} as StationApi, {
    get: (_t, method: string) => (input: unknown) => call(method as StationMethod, input ?? {}),
  });
  return {
    api,
    onHostMessage: (l) => {
      messageListeners.add(l);
      return () => messageListeners.delete(l);
    },
    onConnection: (l) => {
      connectionListeners.add(l);
      return () => connectionListeners.delete(l);
    },
    get connected() {
      return connected;
    },
  };
}
