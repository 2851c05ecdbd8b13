// One-time pairing tickets: how a browser becomes this station's kiosk or reception screen without
// the station's keys ever appearing in an address, a log or a command line. An operator at the
// machine asks for a ticket (escale-station pair); the local host trades it, once and within
// minutes, for the window's key in an HttpOnly cookie. Only the ticket's SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { StationWindow } from '../../../common/station-access.js';
import { iso, sql, writeTransaction, type StationContext } from '../context.js';

export const PAIRING_TICKET_TTL_MS = 10 * 60_000;

const digest = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

export function issuePairingTicket(ctx: StationContext, window: StationWindow, ttlMs = PAIRING_TICKET_TTL_MS): { ticket: string; expiresAt: string } {
  const ticket = randomBytes(24).toString('base64url');
  const nowMs = ctx.clock.now();
  const expiresAt = iso(nowMs + ttlMs);
  writeTransaction(ctx, () => {
    // Tickets long gone are of no use to anyone: swept as new ones are made.
    sql(ctx.db, 'DELETE FROM host_pairing WHERE expires_at < ?').run(iso(nowMs - 24 * 60 * 60_000));
    sql(ctx.db, 'INSERT INTO host_pairing (ticket_sha256, window, expires_at) VALUES (?, ?, ?)').run(digest(ticket), window, expiresAt);
  });
  return { ticket, expiresAt };
}

/** The window a ticket pairs, if it is known, unused and not expired; it is used up either way. */
export function redeemPairingTicket(ctx: StationContext, ticket: string): StationWindow | undefined {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(ticket)) return undefined;
  const nowMs = ctx.clock.now();
  return writeTransaction(ctx, () => {
    const row = sql(ctx.db, 'SELECT window, expires_at, used_at FROM host_pairing WHERE ticket_sha256 = ?').get(digest(ticket)) as
      | { window: StationWindow; expires_at: string; used_at: string | null }
      | undefined;
    if (!row || row.used_at !== null) return undefined;
    sql(ctx.db, 'UPDATE host_pairing SET used_at = ? WHERE ticket_sha256 = ?').run(iso(nowMs), digest(ticket));
    return Date.parse(row.expires_at) > nowMs ? row.window : undefined;
  });
}
