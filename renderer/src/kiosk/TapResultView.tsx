// What a tap gives, for the person who tapped, in their own language: welcome, goodbye with the
// visit's summary, or a kind word and the way to the reception.
import type { Language } from '../../../common/reference-data.js';
import type { ConsumptionLine, Entitlement, TapResult, VisitDetail } from '../../../common/station-api.js';
import { clock, duration, money, weekdayClock } from '../shared/i18n.js';
import { CheckIcon, InfoIcon, LeaveIcon } from './icons.js';
import { k } from './kiosk-i18n.js';
import { visibleLines } from './kiosk-logic.js';

interface Props {
  result: TapResult;
  language: Language;
  timeZone: string;
  /** A check-out's amounts, on a public screen only as the station's setting allows, and briefly. */
  showAmounts?: boolean;
}

export function TapResultView({ result, language, timeZone, showAmounts = false }: Props) {
  switch (result.outcome) {
    case 'checked_in': {
      const { person, checkedInAt, entitlement } = result.visit;
      return (
        <section className="result result-in" aria-labelledby="result-title">
          <CheckIcon />
          <h1 id="result-title" className="greeting" data-testid="greeting">
            {k(language, 'greetingIn', { name: person.firstName })}
          </h1>
          <p className="result-line">{k(language, 'checkedInAt', { time: clock(checkedInAt, timeZone, language) })}</p>
          {entitlement && <Plan entitlement={entitlement} language={language} />}
          {result.closed ? (
            <p className="result-line closed-now" data-testid="closed-now">
              {k(language, 'closedNow')}
              {result.closed.opensAt && ` ${k(language, 'closedOpensAt', { when: weekdayClock(result.closed.opensAt, timeZone, language) })}`}
            </p>
          ) : (
            <p className="result-line">{k(language, 'haveAGoodDay')}</p>
          )}
        </section>
      );
    }
    case 'checked_out':
      return (
        <section className="result result-out" aria-labelledby="result-title">
          <div className="result-head">
            <LeaveIcon />
            <h1 id="result-title" className="greeting" data-testid="greeting">
              {k(language, 'greetingOut', { name: result.visit.person.firstName })}
            </h1>
            <p className="result-line">{k(language, 'seeYouSoon')}</p>
          </div>
          <VisitSummary visit={result.visit} language={language} showAmounts={showAmounts} />
        </section>
      );
    case 'unknown_badge':
      // The number goes to the reception's screen, where staff can assign it; here, only the way there.
      return (
        <Notice title={k(language, 'unknownTitle')} text={k(language, 'unknownText')} />
      );
    case 'refused': {
      const [title, text] =
        result.reason === 'badge_lost'
          ? (['lostTitle', 'lostText'] as const)
          : result.reason === 'badge_revoked'
            ? (['revokedTitle', 'revokedText'] as const)
            : (['blockedTitle', 'blockedText'] as const);
      // The member's own reason (unpaid statements…) is for the reception's ears, not a public screen.
      return (
        <Notice
          hello={result.person ? k(language, 'hello', { name: result.person.firstName }) : undefined}
          title={k(language, title)}
          text={k(language, text)}
          reason={result.reason}
        />
      );
    }
    case 'already_done':
      return (
        <section className="result result-again" aria-labelledby="result-title">
          <CheckIcon />
          <h1 id="result-title" className="greeting greeting-small" data-testid="greeting">
            {k(language, result.last === 'checked_in' ? 'alreadyIn' : 'alreadyOut', { name: result.person.firstName })}
          </h1>
          <p className="result-line">{k(language, 'alreadyText')}</p>
        </section>
      );
  }
}

/**
 * What pays for the visitor's desk, as this station last knew it: said at check-in whatever it
 * is, and again at check-out when something other than their own pocket paid.
 */
function Plan({ entitlement, language, quiet = false }: { entitlement: Entitlement; language: Language; quiet?: boolean }) {
  if (quiet && entitlement.kind === 'payg') return null;
  return (
    <div className={`plan plan-${entitlement.kind}`} data-testid="entitlement" data-kind={entitlement.kind}>
      <p className="plan-line">
        {entitlement.kind === 'pass'
          ? k(language, 'planPass', { plan: entitlement.planName })
          : entitlement.kind === 'quota'
            ? k(language, 'planQuota', { time: duration(entitlement.minutesLeft, language) })
            : k(language, 'planPayg')}
      </p>
      {entitlement.kind === 'quota' && <p className="plan-note">{k(language, 'planNote')}</p>}
    </div>
  );
}

function coverageText(line: ConsumptionLine, language: Language): string | undefined {
  if (line.coverage.kind === 'pass') return k(language, 'lineCoveredPass');
  if (line.coverage.kind === 'quota' && line.coverage.coveredMinutes > 0) return k(language, 'lineCoveredQuota', { time: duration(line.coverage.coveredMinutes, language) });
  return undefined;
}

function Notice({ hello, title, text, reason }: { hello?: string | undefined; title: string; text: string; reason?: string }) {
  return (
    <section className="result result-notice" aria-labelledby="result-title" data-reason={reason}>
      <InfoIcon />
      {hello && <p className="hello">{hello}</p>}
      <h1 id="result-title" className="greeting greeting-small" data-testid="greeting">
        {title}
      </h1>
      <p className="result-line">{text}</p>
    </section>
  );
}

function quantityText(line: ConsumptionLine, language: Language): string {
  if (line.unit === 'hour') return duration(line.billedQuantity, language);
  if (line.unit === 'item' || line.unit === 'page' || line.quantity > 1) return k(language, 'times', { n: line.quantity });
  return '';
}

/** More lines than this: the rest is counted, not listed (the total is always the whole visit's). */
const MAX_LINES = 6;

function VisitSummary({ visit, language, showAmounts }: { visit: VisitDetail; language: Language; showAmounts: boolean }) {
  const all = visibleLines(visit.lines);
  const lines = all.length > MAX_LINES ? all.slice(0, MAX_LINES - 1) : all;
  return (
    <div className="summary" data-testid="summary">
      <h2 className="summary-title">{k(language, 'yourVisit')}</h2>
      <dl className="summary-facts">
        <div>
          <dt>{k(language, 'duration')}</dt>
          <dd data-testid="duration">{duration(visit.durationMinutes, language)}</dd>
        </div>
      </dl>
      {all.length > 0 && (
        <table className="summary-lines">
          <caption className="visually-hidden">{k(language, 'services')}</caption>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{k(language, 'service')}</th>
              <th scope="col">{k(language, 'quantity')}</th>
              {showAmounts && <th scope="col">{k(language, 'amount')}</th>}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  {l.serviceName}
                  {l.billingIncrementMinutes !== undefined && l.billedQuantity !== l.quantity && (
                    <span className="covered" data-testid="billed-per">
                      {k(language, 'billedPerStarted', { step: l.billingIncrementMinutes })}
                    </span>
                  )}
                  {coverageText(l, language) && (
                    <span className="covered" data-testid="covered">
                      {coverageText(l, language)}
                    </span>
                  )}
                </th>
                <td className="quantity">{quantityText(l, language)}</td>
                {showAmounts && <td className="money">{money(l.grossCents, language)}</td>}
              </tr>
            ))}
            {lines.length < all.length && (
              <tr>
                <th scope="row" colSpan={showAmounts ? 3 : 2} className="more">
                  {k(language, 'moreLines', { n: all.length - lines.length })}
                </th>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {showAmounts && (
        <p className="total">
          <span>{k(language, 'provisionalAmount')}</span>
          <strong data-testid="total">{money(visit.totals.grossCents, language)}</strong>
        </p>
      )}
      {visit.entitlement && <Plan entitlement={visit.entitlement} language={language} quiet />}
      <p className="statement-note">{k(language, 'statementNote')}</p>
    </div>
  );
}
