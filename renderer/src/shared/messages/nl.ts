import type { Messages } from '../i18n.js';

export const nl: Messages = {
  offline: 'Offline — alles wordt bewaard',
  stationUnreachable: 'Opnieuw verbinden met het station…',
  notPaired: 'Dit scherm is nog niet aan het station gekoppeld: de technicus koppelt het met een eenmalig adres (escale-station pair).',
};
