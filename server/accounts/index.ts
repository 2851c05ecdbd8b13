// The network's accounts at the hub (see accounts.ts for the interface, engine.ts for how).
export type { Accounts, AccountsOptions, CloseResult } from './accounts.js';
export { createAccounts, type AccountsEngineOptions, type ClosedPeriodData } from './engine.js';
export { parsePeriod } from './period.js';
