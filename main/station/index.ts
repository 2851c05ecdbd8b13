// The station core: the offline ledger of a site (visits, consumption, guests, shifts) in SQLite,
// with every change appended to the outbox as an event. Runs in plain Node: it never imports
// electron, so the CLI, the local host, the tests and the Electron shell all drive the same code.
export { openStation, type Station, type OpenStationOptions } from './station.js';
export { createStationApi } from './api.js';
export { systemClock, type Clock } from './clock.js';
