// The handlers of the station API's till methods (common/station-api/till.ts), over parsed input;
// api.ts wraps them with validation and Results. A till is opened and closed by a signed-in
// clerk: the shift (from the session, or --shift on the command line) says who.
import type { PrinterConfig } from '../../../common/devices.js';
import type { Shift } from '../../../common/station-api.js';
import type { TillOutputs } from '../../../common/station-api/till.js';
import { writeTransaction } from '../context.js';
import { listDeviceConfigs } from '../devices/config-store.js';
import { defaultPrinter, enqueuePrint } from '../devices/print-jobs.js';
import { StationFailure } from '../errors.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';
import { openShift } from '../staff/shifts.js';
import { shiftReportDocument } from './report.js';
import { closeTill, openTill, openTillRow, tillReport, tillState } from './till.js';

export function tillHandlers({ ctx, checkShift, queued }: HandlerDeps): HandlersOf<TillOutputs> {
  const clerk = (shiftId: string | undefined): Shift => {
    if (shiftId === undefined) throw new StationFailure('SIGN_IN_REQUIRED', 'Sign in with your PIN to open or close the till (the command line: --shift ID of escale-station signin).').saying('tillNeedsClerk');
    return openShift(ctx, shiftId);
  };
  return {
    till: ({ shiftId }) => {
      checkShift(shiftId);
      const open = openTillRow(ctx);
      return open ? { open: tillState(ctx, open) } : {};
    },
    openTill: ({ floatCents, shiftId }) => writeTransaction(ctx, () => openTill(ctx, clerk(shiftId), floatCents)),
    closeTill: ({ countedCents, reason, language, shiftId }) => {
      const done = writeTransaction(ctx, () => {
        const closed = closeTill(ctx, clerk(shiftId), countedCents, reason);
        // Printed where receipts are, queued in the close's transaction: a crash keeps both or neither.
        const printer = defaultPrinter(listDeviceConfigs(ctx).filter((d): d is PrinterConfig => d.kind === 'printer'), 'receipt');
        const report = printer ? enqueuePrint(ctx, 'receipt', shiftReportDocument(ctx, closed, { language })) : undefined;
        return { ...closed, ...(report ? { report } : {}) };
      });
      if (done.report) queued(done.report);
      return done;
    },
    reprintTillReport: ({ tillId, language, shiftId }) => {
      checkShift(shiftId);
      return queued(writeTransaction(ctx, () => enqueuePrint(ctx, 'receipt', shiftReportDocument(ctx, tillReport(ctx, tillId), { language, duplicate: true }))));
    },
  };
}
