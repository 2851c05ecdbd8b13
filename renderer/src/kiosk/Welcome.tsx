// The welcome screen: what a visitor sees from the door. One thing to do (tap the badge), in
// large type, and the four languages of the network as large buttons.
import type { Language } from '../../../common/reference-data.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../shared/i18n.js';
import { BadgeIcon } from './icons.js';
import { k } from './kiosk-i18n.js';

export function Welcome({ language }: { language: Language }) {
  return (
    <section className="welcome" aria-labelledby="kiosk-title">
      <h1 id="kiosk-title" className="welcome-title">
        {k(language, 'welcome')}
      </h1>
      <BadgeIcon />
      <p className="invite">{k(language, 'tapYourBadge')}</p>
      <p className="hint">{k(language, 'tapHint')}</p>
    </section>
  );
}

export function LanguageChoice({ language, onChoose }: { language: Language; onChoose(l: Language): void }) {
  return (
    <nav className="languages" aria-label={k(language, 'chooseLanguage')}>
      <ul>
        {LANGUAGES.map((l) => (
          <li key={l}>
            <button type="button" lang={l} aria-pressed={l === language} className="language" onClick={() => onChoose(l)}>
              <span className="language-code" aria-hidden="true">
                {l.toUpperCase()}
              </span>
              <span className="language-name">{LANGUAGE_NAMES[l]}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
