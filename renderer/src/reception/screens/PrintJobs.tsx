// Print jobs (of one visit, or the latest of the station) with their state, and Reprint.
import { useState } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { PrintJob } from '../../../../common/devices.js';
import { useT, type ReceptionKey } from '../i18n.js';
import { fullName, timeZoneOf, useLoad, useSession } from '../session.js';
import { Chip, FieldError } from '../components.js';
import { printerTroubleOn } from '../health.js';
import { usePrinterName } from '../printer-names.js';

const KIND: Record<PrintJob['kind'], ReceptionKey> = { receipt: 'jobReceipt', badge: 'jobBadge', test: 'jobTest' };
const STATE: Record<PrintJob['state'], { key: ReceptionKey; tone: 'ok' | 'warn' | 'bad' | 'neutral' }> = {
  queued: { key: 'jobQueued', tone: 'neutral' },
  printing: { key: 'jobPrinting', tone: 'neutral' },
  printed: { key: 'jobPrinted', tone: 'ok' },
  failed: { key: 'jobFailed', tone: 'bad' },
};

export function PrintJobs({ visitId, version, limit = 20 }: { visitId?: string; version: number; limit?: number }) {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const [tick, setTick] = useState(0);
  const jobs = useLoad(() => s.api.printJobs({ ...(visitId ? { visitId } : {}), limit }), [s.api, visitId, version, tick, s.statusVersion], 2000);
  const [error, setError] = useState<StationError>();
  const devices = useLoad(() => s.api.devices({}), [s.api, s.statusVersion]);
  // A reprint to a printer that is down only waits in the queue: said first, the clerk may still queue it.
  const [warning, setWarning] = useState<{ job: PrintJob; text: string }>();
  const printerName = usePrinterName();

  const reprint = async (job: PrintJob, confirmed = false) => {
    const trouble = confirmed || job.kind === 'test' ? undefined : printerTroubleOn(devices.data, job.printerId);
    if (trouble) {
      const document = t(job.kind === 'receipt' ? 'documentReceipt' : 'documentBadge');
      setWarning({
        job,
        text: trouble.fallback
          ? t('printerDownWarningFallback', { printer: trouble.printer.name, fallback: trouble.fallback.name, document })
          : t('printerDownWarning', { printer: trouble.printer.name, document }),
      });
      return;
    }
    setWarning(undefined);
    const r = await s.api.reprint({ jobId: job.id });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    s.notify({ kind: 'ok', text: t('reprintQueued', { printer: printerName(r.value.printerId) }) });
    setTick((n) => n + 1);
  };

  // The newest first (jobs of the same instant by their time-ordered id).
  const list = [...(jobs.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return (
    <div className="print-jobs">
      <FieldError id={`jobs-error-${visitId ?? 'all'}`} error={jobs.error ?? error} />
      {warning && (
        <div className="print-warning" role="alert" data-testid="reprint-warning">
          <p>{warning.text}</p>
          <div className="actions">
            <button type="button" onClick={() => void reprint(warning.job, true)}>
              {t('queueAnyway')}
            </button>
            <button type="button" className="button-quiet" onClick={() => setWarning(undefined)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {list.length === 0 ? (
        <p className="muted">{t('noPrintJobs')}</p>
      ) : (
        <table className="table compact">
          <caption className="visually-hidden">{t('printJobsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colJob')}</th>
              <th scope="col">{t('colPrinter')}</th>
              <th scope="col">{t('colState')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((j) => (
              <tr key={j.id}>
                <th scope="row">
                  {t(KIND[j.kind])}
                  {!visitId && j.person && <span className="block">{fullName(t, j.person)}</span>}
                  <span className="muted block">
                    {t.time(j.createdAt, timeZone)}
                    {j.reprintOf ? ` · ${t('reprintNote')}` : ''}
                  </span>
                </th>
                <td>
                  {printerName(j.printedOn ?? j.printerId)}
                  {j.printedOn && j.printedOn !== j.printerId && <span className="muted block">{t('fallbackUsed', { printer: printerName(j.printerId) })}</span>}
                </td>
                <td>
                  <Chip tone={STATE[j.state].tone}>{t(STATE[j.state].key)}</Chip>
                  {j.lastError && (
                    <span className="muted block">
                      {t(j.state === 'failed' ? 'printJobFailedText' : 'printJobWaitingText', { printer: printerName(j.printedOn ?? j.printerId) })}
                      <details>
                        <summary>{t('stripDetails')}</summary>
                        {j.lastError}
                      </details>
                    </span>
                  )}
                </td>
                <td>
                  {j.kind !== 'test' && (
                    <button type="button" className="button-quiet" onClick={() => void reprint(j)} aria-label={t('reprintOf', { job: t(KIND[j.kind]), time: t.time(j.createdAt, timeZone) })}>
                      {t('reprint')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
