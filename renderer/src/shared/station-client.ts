// The renderer's one door to the station: the typed station API of common/, served by Electron's
// preload (window.escale) or, in a browser, by the local host over WebSocket. In a browser the
// station's key for this window is an HttpOnly cookie the page never sees (set when the browser
// was paired with a one-time address); the page only says which window it is. Reconnects by
// itself; pages show when it is not connected, or when this browser is not paired.
// First: zod must know it may not use eval before the contracts below define their schemas.
import './zod-without-eval.js';
import type { Result } from '../../../common/result.js';
import type { StationApi, StationMethod } from '../../../common/station-api.js';
import { HOST_API_PATH, HOST_PAIRED_PATH, type HostMessage } from '../../../common/host-protocol.js';
import type { StationWindow } from '../../../common/station-access.js';

export interface StationConnection {
  api: StationApi;
  /** Taps from this station's readers, with what the station made of them. */
  onHostMessage(listener: (m: Exclude<HostMessage, { kind: 'answer' }>) => void): () => void;
  /** Whether the page reaches the station (not the hub: that is syncStatus). */
  onConnection(listener: (connected: boolean) => void): () => void;
  readonly connected: boolean;
  /** False when the station says this browser is not paired as this window (then it never connects). */
  onPaired(listener: (paired: boolean) => void): () => void;
  readonly paired: boolean;
}

/** What the window's preload (preload/kiosk.ts, reception.ts) exposes in Electron: its station methods by name, and the station's messages. */
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

export function connectStation(stationWindow: StationWindow, location: Location = window.location): StationConnection {
  const messageListeners = new Set<(m: Exclude<HostMessage, { kind: 'answer' }>) => void>();
  const connectionListeners = new Set<(c: boolean) => void>();
  const pairedListeners = new Set<(p: boolean) => void>();
  let paired = true;
  const setPaired = (p: boolean) => {
    if (p === paired) return;
    paired = p;
    for (const l of pairedListeners) l(p);
  };
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
    const open = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${HOST_API_PATH}?window=${stationWindow}`);
      socket = ws;
      let opened = false;
      ws.onopen = () => {
        opened = true;
        retryMs = 250;
        setPaired(true);
        setConnected(true);
      };
      ws.onmessage = (e) => dispatch(JSON.parse(String(e.data)) as HostMessage);
      ws.onclose = () => {
        socket = undefined;
        setConnected(false);
        for (const [id, resolve] of pending) {
          resolve({ ok: false, error: { code: 'INTERNAL', message: 'The connection to the station was lost; try again.', say: { key: 'stationLinkLost' } } });
          pending.delete(id);
        }
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
        // Refused before opening: the station is down, or it does not know this browser. It says which.
        if (!opened) void askPaired();
      };
    };
    const askPaired = async () => {
      try {
        const r = await fetch(`${HOST_PAIRED_PATH}?window=${stationWindow}`, { cache: 'no-store', credentials: 'same-origin' });
        if (r.ok) setPaired(((await r.json()) as { paired?: unknown }).paired === true);
      } catch {
        // The station is not reachable: that is what the page already says.
      }
    };
    open();
    call = (method, input) =>
      new Promise((resolve) => {
        if (!socket || socket.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { code: 'INTERNAL', message: 'The station is not reachable right now; try again in a moment.', say: { key: 'stationUnreachable' } } });
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'INTERNAL', message: 'The station did not answer in time; try again.', say: { key: 'stationNoAnswer' } } });
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
    onPaired: (l) => {
      pairedListeners.add(l);
      return () => pairedListeners.delete(l);
    },
    get paired() {
      return paired;
    },
  };
}
