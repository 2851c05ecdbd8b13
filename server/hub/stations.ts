// Enrolling a station: a credential shown once, only its hash kept.
import type { HubStore } from '../store/store.js';
import { credentialOf, hashSecret, newSecret } from './credentials.js';
import { HubInputError } from './reference-admin.js';

export async function enrollStation(store: HubStore, siteId: string, name: string, at: string): Promise<{ stationId: string; siteId: string; credential: string }> {
  if (!(await store.getReference('site', siteId))) throw new HubInputError('NOT_FOUND', `no site "${siteId}" in the network: import it first`);
  const base = `${siteId}-${name}`.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'station';
  const taken = new Set((await store.listStations()).map((s) => s.id));
  let stationId = base;
  for (let i = 2; taken.has(stationId); i++) stationId = `${base.slice(0, 36)}-${i}`;
  const secret = newSecret();
  await store.enrollStation({ id: stationId, siteId, name, secretHash: hashSecret(secret), enrolledAt: at });
  return { stationId, siteId, credential: credentialOf(stationId, secret) };
}
