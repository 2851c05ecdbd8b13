// Devices: every reader and printer with its health (up, down since…, paper out, last error,
// last activity, counts), a configuration form, a test print, and the latest print jobs.
import { deviceItem } from '../health.js';
import { useState, type FormEvent } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { DeviceConfig, DeviceConfigInput, DeviceStatus } from '../../../../common/devices.js';
import { WEDGE_LAYOUTS, type WedgeLayout } from '../../../../common/readers/wedge-layout.js';
import { useT, type ReceptionKey, type Words } from '../i18n.js';
import { errorFor, errorPath, timeZoneOf, useLoad, useSession } from '../session.js';
import { Chip, FieldError, Loading, invalidProps } from '../components.js';
import { PrintJobs } from './PrintJobs.js';

/** The devices' counters (main/hardware) in the clerk's words; one this screen does not know is "other". */
const COUNT_KEYS: Record<string, ReceptionKey> = {
  reads: 'count_reads',
  repeats: 'count_repeats',
  invalid_uid: 'count_invalid_uid',
  errors: 'count_errors',
  jobs: 'count_jobs',
  opened: 'count_opened',
  cards: 'count_cards',
  removals: 'count_removals',
  identities: 'count_identities',
  started: 'count_started',
  readers_added: 'count_readers_added',
  readers_removed: 'count_readers_removed',
  bad_messages: 'count_bad_messages',
  watchdog_kills: 'count_watchdog_kills',
};
const countLabel = (t: Words, key: string): string => t(COUNT_KEYS[key] ?? 'count_other');

const STATE: Record<DeviceStatus['state'], { key: ReceptionKey; tone: 'ok' | 'bad' | 'neutral' | 'warn' }> = {
  up: { key: 'stateUp', tone: 'ok' },
  down: { key: 'stateDown', tone: 'bad' },
  disabled: { key: 'stateDisabled', tone: 'neutral' },
  unknown: { key: 'stateUnknown', tone: 'warn' },
};

type Draft = {
  kind: 'printer' | 'reader';
  id: string;
  name: string;
  enabled: boolean;
  connectionType: string;
  host: string;
  port: string;
  path: string;
  baudRate: string;
  // printer
  language: 'escpos' | 'zpl';
  columns: string;
  roles: ('receipt' | 'badge')[];
  fallbackId: string;
  // reader
  framing: 'em4100' | 'line';
  vendorId: string;
  productId: string;
  mode: 'keyboard' | 'raw';
  /** What a reader that types (HID keyboard mode, the kiosk window's) is itself set to. */
  keyboardLayout: WedgeLayout;
  repeatWindowMs: string;
  place: 'desk' | 'kiosk';
};

const hex = (n: number) => n.toString(16).padStart(4, '0');

function draftOf(kind: 'printer' | 'reader', c?: DeviceConfig): Draft {
  const d: Draft = {
    kind,
    id: c?.id ?? '',
    name: c?.name ?? '',
    enabled: c?.enabled ?? true,
    connectionType: kind === 'printer' ? 'tcp' : 'serial',
    host: '',
    port: '9100',
    path: '',
    baudRate: '9600',
    language: 'escpos',
    columns: '42',
    roles: ['receipt', 'badge'],
    fallbackId: '',
    framing: 'em4100',
    vendorId: '',
    productId: '',
    mode: 'keyboard',
    keyboardLayout: 'qwerty',
    repeatWindowMs: '1500',
    place: 'desk',
  };
  if (c?.kind === 'printer') {
    Object.assign(d, { language: c.language, columns: String(c.columns), roles: c.roles, fallbackId: c.fallbackId ?? '', connectionType: c.connection.type });
    if (c.connection.type === 'tcp') Object.assign(d, { host: c.connection.host, port: String(c.connection.port) });
    if (c.connection.type === 'serial') Object.assign(d, { path: c.connection.path, baudRate: String(c.connection.baudRate) });
    if (c.connection.type === 'file') d.path = c.connection.path;
  }
  if (c?.kind === 'reader') {
    Object.assign(d, { repeatWindowMs: String(c.repeatWindowMs), place: c.place, connectionType: c.connection.type });
    if (c.connection.type === 'serial') Object.assign(d, { path: c.connection.path, baudRate: String(c.connection.baudRate), framing: c.connection.framing });
    if (c.connection.type === 'hid')
      Object.assign(d, { vendorId: hex(c.connection.vendorId), productId: hex(c.connection.productId), mode: c.connection.mode, keyboardLayout: c.connection.keyboardLayout });
    if (c.connection.type === 'window') d.keyboardLayout = c.connection.keyboardLayout;
  }
  return d;
}

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

function configOf(d: Draft, original?: DeviceConfig): DeviceConfigInput {
  const base = { id: d.id.trim(), name: d.name, enabled: d.enabled };
  if (d.kind === 'printer') {
    const connection =
      d.connectionType === 'tcp'
        ? { type: 'tcp' as const, host: d.host.trim(), port: num(d.port) }
        : d.connectionType === 'serial'
          ? { type: 'serial' as const, path: d.path.trim(), baudRate: num(d.baudRate) }
          : { type: 'file' as const, path: d.path.trim() };
    return { ...base, kind: 'printer', language: d.language, columns: num(d.columns), roles: d.roles, ...(d.fallbackId ? { fallbackId: d.fallbackId } : {}), connection };
  }
  // A PC/SC reader's settings have no field here: kept as they were.
  const connection =
    d.connectionType === 'pcsc' && original?.kind === 'reader' && original.connection.type === 'pcsc'
      ? original.connection
      : d.connectionType === 'serial'
        ? { type: 'serial' as const, path: d.path.trim(), baudRate: num(d.baudRate), framing: d.framing }
        : d.connectionType === 'window'
          ? { type: 'window' as const, keyboardLayout: d.keyboardLayout }
          : { type: 'hid' as const, vendorId: parseInt(d.vendorId, 16), productId: parseInt(d.productId, 16), mode: d.mode, keyboardLayout: d.keyboardLayout };
  return { ...base, kind: 'reader', repeatWindowMs: num(d.repeatWindowMs), place: d.place, ...(original?.kind === 'reader' ? { uidFormat: original.uidFormat } : {}), connection };
}

function DeviceForm({ initial, original, printers, onSaved, onCancel }: { initial: Draft; original?: DeviceConfig; printers: DeviceConfig[]; onSaved(c: DeviceConfig): void; onCancel(): void }) {
  const t = useT();
  const s = useSession();
  const [d, setD] = useState(initial);
  const [error, setError] = useState<StationError>();
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const editing = original !== undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await s.api.configureDevice({ config: configOf(d, original) });
    if (!r.ok) {
      setError(r.error);
      const path = errorPath(r.error)?.split('.').pop();
      if (path) document.getElementById(`device-${path}`)?.focus();
      return;
    }
    setError(undefined);
    onSaved(r.value);
  };

  const FIELDS = ['id', 'name', 'host', 'port', 'path', 'baudRate', 'columns', 'roles', 'fallbackId', 'vendorId', 'productId', 'repeatWindowMs', 'framing', 'language', 'mode', 'keyboardLayout'];
  const err = (f: string) => errorFor(error, f);
  const formError = error && !FIELDS.some((f) => err(f)) ? error : undefined;
  const input = (f: keyof Draft, label: string, extra: Record<string, unknown> = {}, hint?: string) => (
    <div className="field">
      <label htmlFor={`device-${f}`}>{label}</label>
      <input
        id={`device-${f}`}
        value={d[f] as string}
        onChange={(e) => set(f, e.target.value as never)}
        autoComplete="off"
        {...(hint ? { 'aria-describedby': `device-${f}-hint` } : {})}
        {...invalidProps(`device-${f}-error`, err(f))}
        {...extra}
      />
      {hint && (
        <p id={`device-${f}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={`device-${f}-error`} error={err(f)} />
    </div>
  );
  const select = (f: keyof Draft, label: string, options: [string, string][], hint?: string) => (
    <div className="field">
      <label htmlFor={`device-${f}`}>{label}</label>
      <select
        id={`device-${f}`}
        value={d[f] as string}
        onChange={(e) => set(f, e.target.value as never)}
        {...(hint ? { 'aria-describedby': `device-${f}-hint` } : {})}
        {...invalidProps(`device-${f}-error`, err(f))}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`device-${f}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={`device-${f}-error`} error={err(f)} />
    </div>
  );
  const layoutSelect = () =>
    select(
      'keyboardLayout',
      t('keyboardLayout'),
      WEDGE_LAYOUTS.map((l) => [l, l.toUpperCase()]),
      t('keyboardLayoutHelp'),
    );

  return (
    <form className="card form-grid device-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="device-form-title">
      <h2 id="device-form-title" className="span-2">
        {editing ? t('editDevice', { name: original.name }) : t(d.kind === 'printer' ? 'newPrinter' : 'newReader')}
      </h2>
      {input('id', t('deviceId'), { readOnly: editing }, t('deviceIdHelp'))}
      {input('name', t('deviceName'))}
      <div className="field span-2 checkbox">
        <input id="device-enabled" type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <label htmlFor="device-enabled">{t('deviceEnabled')}</label>
      </div>
      {d.kind === 'printer' ? (
        <>
          {select('connectionType', t('connection'), [
            ['tcp', t('connTcp')],
            ['serial', t('connSerial')],
            ['file', t('connFile')],
          ])}
          {select('language', t('printerLanguage'), [
            ['escpos', 'ESC/POS'],
            ['zpl', 'ZPL'],
          ])}
          {d.connectionType === 'tcp' && (
            <>
              {input('host', t('host'))}
              {input('port', t('port'), { inputMode: 'numeric' })}
            </>
          )}
          {d.connectionType !== 'tcp' && input('path', t(d.connectionType === 'serial' ? 'serialPath' : 'filePath'))}
          {d.connectionType === 'serial' && input('baudRate', t('baudRate'), { inputMode: 'numeric' })}
          {input('columns', t('columns'), { inputMode: 'numeric' })}
          {select('fallbackId', t('fallbackPrinter'), [['', t('noFallback')], ...printers.filter((p) => p.id !== d.id).map((p) => [p.id, p.name] as [string, string])])}
          <fieldset className="field span-2 roles">
            <legend>{t('roles')}</legend>
            {(['receipt', 'badge'] as const).map((role) => (
              <span key={role} className="checkbox">
                <input
                  id={`device-role-${role}`}
                  type="checkbox"
                  checked={d.roles.includes(role)}
                  onChange={(e) => set('roles', e.target.checked ? [...d.roles, role] : d.roles.filter((r) => r !== role))}
                />
                <label htmlFor={`device-role-${role}`}>{t(role === 'receipt' ? 'roleReceipt' : 'roleBadge')}</label>
              </span>
            ))}
            <FieldError id="device-roles-error" error={err('roles')} />
          </fieldset>
        </>
      ) : (
        <>
          {select('connectionType', t('connection'), [
            ['serial', t('connSerial')],
            ['hid', t('connHid')],
            ['window', t('connWindow')],
            ...(d.connectionType === 'pcsc' ? [['pcsc', t('connPcsc')] as [string, string]] : []),
          ])}
          {d.connectionType !== 'window' && input('repeatWindowMs', t('repeatWindow'), { inputMode: 'numeric' })}
          {d.connectionType !== 'window' &&
            select('place', t('readerPlace'), [
              ['desk', t('readerPlaceDesk')],
              ['kiosk', t('readerPlaceKiosk')],
            ])}
          {d.connectionType === 'pcsc' ? null : d.connectionType === 'window' ? (
            layoutSelect()
          ) : d.connectionType === 'serial' ? (
            <>
              {input('path', t('serialPath'))}
              {input('baudRate', t('baudRate'), { inputMode: 'numeric' })}
              {select('framing', t('framing'), [
                ['em4100', t('framingEm4100')],
                ['line', t('framingLine')],
              ])}
            </>
          ) : (
            <>
              {input('vendorId', t('vendorId'))}
              {input('productId', t('productId'))}
              {select('mode', t('hidMode'), [
                ['keyboard', t('hidKeyboard')],
                ['raw', t('hidRaw')],
              ])}
              {d.mode === 'keyboard' && layoutSelect()}
            </>
          )}
        </>
      )}
      <div className="span-2 form-actions">
        <button type="submit" className="button-primary">
          {t('save')}
        </button>
        <button type="button" className="button-quiet" onClick={onCancel}>
          {t('cancel')}
        </button>
        <FieldError id="device-form-error" error={formError} />
      </div>
    </form>
  );
}

export function DevicesScreen() {
  const t = useT();
  const s = useSession();
  const timeZone = timeZoneOf(s);
  const [tick, setTick] = useState(0);
  // Configuring devices is a supervisor's: a clerk sees their state, tests a printer, reprints.
  const supervisor = s.shift.role === 'supervisor';
  const statuses = useLoad(() => s.api.devices({}), [s.api, s.statusVersion, tick], 3000);
  const configs = useLoad(() => (supervisor ? s.api.deviceConfigs({}) : undefined), [s.api, s.statusVersion, tick, supervisor]);
  const [form, setForm] = useState<{ draft: Draft; original?: DeviceConfig }>();
  const [rowError, setRowError] = useState<{ id: string; error: StationError }>();
  const [jobsVersion, setJobsVersion] = useState(0);

  const testPrint = async (id: string) => {
    const r = await s.api.testPrint({ printerId: id });
    if (!r.ok) return setRowError({ id, error: r.error });
    setRowError(undefined);
    s.notify({ kind: 'ok', text: t('testPrintQueued', { printer: statuses.data?.find((d) => d.id === id)?.name ?? id }) });
    setJobsVersion((n) => n + 1);
  };
  const remove = async (id: string) => {
    const r = await s.api.removeDevice({ id });
    if (!r.ok) return setRowError({ id, error: r.error });
    setRowError(undefined);
    s.notify({ kind: 'ok', text: t('deviceRemoved', { id }) });
    setTick((n) => n + 1);
  };
  const openForm = (draft: Draft, original?: DeviceConfig) => {
    setForm(original ? { draft, original } : { draft });
    requestAnimationFrame(() => document.getElementById(original ? 'device-name' : 'device-id')?.focus());
  };

  const list = statuses.data ?? [];
  const printers = (configs.data ?? []).filter((c) => c.kind === 'printer');
  return (
    <section aria-labelledby="devices-title">
      <div className="screen-head">
        <h1 id="devices-title" tabIndex={-1} data-autofocus>
          {t('devicesTitle')}
        </h1>
        {supervisor && (
          <div className="actions">
            <button type="button" onClick={() => openForm(draftOf('printer'))}>
              {t('addPrinter')}
            </button>
            <button type="button" onClick={() => openForm(draftOf('reader'))}>
              {t('addReader')}
            </button>
          </div>
        )}
      </div>
      {!supervisor && <p className="hint">{t('devicesSupervisorOnly')}</p>}
      <FieldError id="devices-error" error={statuses.error} />
      {statuses.loading && !statuses.data ? (
        <Loading text={t('loading')} />
      ) : list.length === 0 ? (
        <p className="empty">{t('noDevices')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('devicesTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colDevice')}</th>
              <th scope="col">{t('colState')}</th>
              <th scope="col">{t('colLastActivity')}</th>
              <th scope="col">{t('colCounts')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id} data-device={d.id}>
                <th scope="row">
                  {d.name}
                  <span className="muted block">
                    {t(d.kind === 'printer' ? 'kindPrinter' : 'kindReader')} · {d.id}
                  </span>
                </th>
                <td>
                  <Chip tone={STATE[d.state].tone}>{t(STATE[d.state].key)}</Chip> {d.paperOut && <Chip tone="bad">{t('paperOut')}</Chip>}
                  {d.downSince && <span className="muted block">{t('downSince', { time: t.dateTime(d.downSince, timeZone) })}</span>}
                  {d.lastError && (
                    <span className="block">
                      {deviceItem(t, d, timeZone)?.problem ?? ''}
                      <details className="device-error">
                        <summary>{t('stripDetails')}</summary>
                        {d.lastError}
                      </details>
                    </span>
                  )}
                </td>
                <td>{d.lastActivityAt ? t.dateTime(d.lastActivityAt, timeZone) : '—'}</td>
                <td className="counts">
                  {Object.entries(d.counts)
                    .filter(([, n]) => n > 0)
                    .map(([k, n]) => `${countLabel(t, k)} ${t.number(n)}`)
                    .join(' · ') || '—'}
                </td>
                <td className="actions">
                  {d.kind === 'printer' && (
                    <button type="button" onClick={() => void testPrint(d.id)} aria-label={t('testPrintOf', { name: d.name })}>
                      {t('testPrint')}
                    </button>
                  )}
                  {supervisor && (
                    <>
                      <button
                        type="button"
                        className="button-quiet"
                        aria-label={t('editOf', { name: d.name })}
                        onClick={() => {
                          const c = configs.data?.find((x) => x.id === d.id);
                          if (c) openForm(draftOf(c.kind, c), c);
                        }}
                      >
                        {t('edit')}
                      </button>
                      <button type="button" className="button-quiet" aria-label={t('removeOf', { name: d.name })} onClick={() => void remove(d.id)}>
                        {t('remove')}
                      </button>
                    </>
                  )}
                  {rowError?.id === d.id && <FieldError id={`device-row-${d.id}`} error={rowError.error} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {form && (
        <DeviceForm
          key={`${form.draft.kind}-${form.original?.id ?? 'new'}`}
          initial={form.draft}
          {...(form.original ? { original: form.original } : {})}
          printers={printers}
          onSaved={(c) => {
            setForm(undefined);
            s.notify({ kind: 'ok', text: t('deviceSaved', { name: c.name }) });
            setTick((n) => n + 1);
          }}
          onCancel={() => setForm(undefined)}
        />
      )}
      <h2>{t('recentPrintJobs')}</h2>
      <PrintJobs version={jobsVersion} limit={10} />
    </section>
  );
}
