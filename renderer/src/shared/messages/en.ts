// English: the reference for the keys.
export const en = {
  offline: 'Working offline — everything is recorded',
  stationUnreachable: 'Reconnecting to the station…',
  notPaired: 'This screen is not paired with the station yet: the technician pairs it with a one-time address (escale-station pair).',
} as const;
