// The handlers of the station API's payment methods (common/station-api/payments.ts), over parsed
// input; api.ts wraps them with validation and Results.
import type { PrinterConfig } from '../../../common/devices.js';
import type { PaymentsOutputs } from '../../../common/station-api/payments.js';
import { writeTransaction } from '../context.js';
import { listDeviceConfigs } from '../devices/config-store.js';
import { defaultPrinter, enqueuePrint, receiptDocument } from '../devices/print-jobs.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';
import { recordPayment, refundPayment } from './record.js';

export function paymentsHandlers({ ctx, checkShift, queued }: HandlerDeps): HandlersOf<PaymentsOutputs> {
  return {
    recordPayment: (input) => {
      const done = writeTransaction(ctx, () => {
        checkShift(input.shiftId);
        const { visitId, amountCents, shiftId } = input;
        const payment = recordPayment(
          ctx,
          input.method === 'cash'
            ? { method: 'cash', visitId, amountCents, tenderedCents: input.tenderedCents!, shiftId }
            : input.method === 'card'
              ? { method: 'card', visitId, amountCents, reference: input.reference, shiftId }
              : { method: 'invoice', visitId, amountCents, company: input.company!, shiftId },
        );
        // The paid receipt takes its number in the payment's own transaction — a crash keeps both or
        // neither — whether or not a printer is set up to print it now: one added later, or a
        // reprint, prints that number.
        const document = receiptDocument(ctx, input.visitId);
        const receiptNumber = document.kind === 'receipt' ? document.receiptNumber : undefined;
        const printer = defaultPrinter(listDeviceConfigs(ctx).filter((d): d is PrinterConfig => d.kind === 'printer'), 'receipt');
        const receipt = printer ? enqueuePrint(ctx, 'receipt', document, { visitId: input.visitId }) : undefined;
        return { ...payment, visitId: input.visitId, method: input.method, ...(receiptNumber ? { receiptNumber } : {}), ...(receipt ? { receipt } : {}) };
      });
      if (done.receipt) queued(done.receipt);
      return done;
    },
    refundPayment: (input) =>
      writeTransaction(ctx, () => {
        checkShift(input.shiftId);
        return { ...refundPayment(ctx, input), paymentId: input.paymentId, reason: input.reason };
      }),
  };
}
