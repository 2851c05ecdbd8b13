// The kiosk's few pictures, drawn inline (the page loads nothing but this host). Decorative:
// every one is hidden from assistive technology, the words beside it say the same.
export function Star() {
  return (
    <svg className="star" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z" />
    </svg>
  );
}

/** A badge held against a reader. */
export function BadgeIcon() {
  return (
    <svg className="picture" viewBox="0 0 160 120" aria-hidden="true" focusable="false">
      <rect x="14" y="54" width="96" height="58" rx="10" className="reader" />
      <circle cx="62" cy="83" r="9" className="reader-dot" />
      <g className="waves">
        <path d="M118 38a22 22 0 0 1 0 30" />
        <path d="M128 28a36 36 0 0 1 0 50" />
        <path d="M138 18a50 50 0 0 1 0 70" />
      </g>
      <g transform="rotate(-12 80 40)">
        <rect x="46" y="8" width="74" height="48" rx="7" className="card" />
        <rect x="56" y="18" width="18" height="14" rx="3" className="chip" />
        <rect x="56" y="40" width="50" height="5" rx="2.5" className="card-line" />
      </g>
    </svg>
  );
}

export function CheckIcon() {
  return (
    <svg className="result-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="22" />
      <path d="M14 25l7 7 14-15" fill="none" strokeWidth="4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** On the way out. */
export function LeaveIcon() {
  return (
    <svg className="result-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="22" />
      <path d="M13 24h20M26 16l8 8-8 8" fill="none" strokeWidth="4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function InfoIcon() {
  return (
    <svg className="result-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="22" />
      <circle cx="24" cy="14.5" r="3" className="glyph-fill" />
      <path d="M24 22v14" fill="none" strokeWidth="5" strokeLinecap="round" />
    </svg>
  );
}

export function CloudIcon() {
  return (
    <svg className="note-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M7 18h10a4 4 0 0 0 .6-8A6 6 0 0 0 6.2 9.5 4.3 4.3 0 0 0 7 18z" />
    </svg>
  );
}
