// The kiosk's settings (common/station-api/kiosk.ts): kept in station_meta with the station's other
// settings, read by the public screen, changed by a supervisor.
import type { KioskOutputs } from '../../../common/station-api/kiosk.js';
import { sql } from '../context.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function kioskHandlers({ ctx }: HandlerDeps): HandlersOf<KioskOutputs> {
  return {
    kioskSettings: () => ({ amountMs: ctx.settings.kioskAmountMs }),
    configureKiosk: ({ amountMs }) => {
      sql(ctx.db, "INSERT OR REPLACE INTO station_meta (key, value) VALUES ('kiosk_amount_ms', ?)").run(String(amountMs));
      ctx.settings.kioskAmountMs = amountMs;
      return { amountMs };
    },
  };
}
