// The IPC handler's checks, kept apart from electron so they are tested in plain Node: only our
// own windows may call, from their main frame on the page we loaded there; each window reaches
// only its own roles, through the station's access gate (the kiosk window the kiosk's methods; the
// reception window sign-in, then a clerk's session) — whatever its preload offers.
import type { Result } from '../../common/result.js';
import type { StationWindow } from '../../common/station-access.js';
import type { AccessGate, Caller } from '../station/access/gate.js';

/** Who sent an IPC call, as Electron tells it (event.sender, event.senderFrame). */
export interface IpcSender {
  /** webContents id. */
  id: number;
  /** The call came from the window's top frame (not an iframe). */
  mainFrame: boolean;
  /** The URL of the frame that sent it. */
  url: string;
}

/** The windows the shell opened: which window each is, and the page it loaded. */
export type ShellWindows = ReadonlyMap<number, { window: StationWindow; page: string }>;

const withoutHash = (url: string) => url.split('#')[0]!;

/** Why a sender is not one of our windows' own pages, or undefined. */
export function senderProblem(windows: ShellWindows, sender: IpcSender): string | undefined {
  const known = windows.get(sender.id);
  if (!known) return 'Only the station’s own windows may call the station.';
  if (!sender.mainFrame) return 'Only a station window’s own page may call the station, not a frame inside it.';
  if (withoutHash(sender.url) !== withoutHash(known.page)) return 'Only the station’s own pages may call the station.';
  return undefined;
}

/**
 * `call`: the runtime's (through the gate, then what it changed told to every window); the gate is
 * told of a sender refused before any call.
 */
export function guardedCall(gate: AccessGate, call: (caller: Caller, method: unknown, input: unknown) => Result<unknown>, windows: ShellWindows, sender: IpcSender, method: unknown, input: unknown): Result<unknown> {
  const problem = senderProblem(windows, sender);
  if (problem) {
    gate.refuseSender(method);
    return { ok: false, error: { code: 'REFUSED', message: problem } };
  }
  return call({ channel: `ipc:${sender.id}`, window: windows.get(sender.id)!.window }, method, input);
}
