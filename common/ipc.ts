// The one registry of Electron IPC channels, shared by the shell (main/shell) and preload.
// The station API crosses IPC on a single channel whose method name is checked against the
// calling window's roles (common/station-access.ts) by the station's access gate, and whose input
// is parsed by that method's zod schema in the main process.
//
// Adding a station method to the windows, in four steps:
//   1. its input schema in common/station-api.ts (stationInputs) and its output in StationOutputs;
//   2. its handler in main/station/station.ts (handlersFor);
//   3. its role in common/station-access.ts (STATION_METHOD_ROLES): the preload of each window
//      exposes the methods of its window's roles, and the main process enforces them;
//   4. a test of the handler (tests/station) and, if a window uses it, of the screen (tests/ui).
export const IPC_CHANNELS = {
  /** renderer → main: invoke(method, input) → Result */
  call: 'escale:station-call',
  /** main → renderer: HostMessage (taps from the readers, changes) */
  message: 'escale:station-message',
  /** set-up window → main: setUpStation(input) → Result (a first start only) */
  setup: 'escale:station-setup',
} as const;
