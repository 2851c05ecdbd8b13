// English: the reference for the keys.
export const en = {
  durationHm: '{h} h {m}',
  offline: 'Working offline — everything is recorded',
  stationUnreachable: 'Reconnecting to the station…',
} as const;
