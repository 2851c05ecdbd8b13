// A keyboard-wedge badge reader types the badge number into the window, then Enter. Every keydown
// goes through the decoder (common/readers/keyboard-wedge.ts: the physical key read on the reader's
// own layout, a burst read whole or not at all, the site's badge formats); the keys of a reader's
// burst are kept from the page.
import { useEffect, useRef } from 'react';
import { DEFAULT_BADGE_FORMATS, type BadgeFormat } from '../../../common/readers/badge-formats.js';
import { KeyboardWedgeDecoder } from '../../../common/readers/keyboard-wedge.js';
import type { WedgeLayout } from '../../../common/readers/wedge-layout.js';

export interface WedgeReading {
  layout: WedgeLayout;
  formats: readonly BadgeFormat[];
}

const DEFAULT_READING: WedgeReading = { layout: 'qwerty', formats: DEFAULT_BADGE_FORMATS };

export function useKeyboardWedge(onRead: (uid: string) => void, reading: WedgeReading = DEFAULT_READING): void {
  const latest = useRef(onRead);
  latest.current = onRead;
  const { layout, formats } = reading;
  useEffect(() => {
    const decoder = new KeyboardWedgeDecoder({ layout, formats });
    const onKeyDown = (e: KeyboardEvent) => {
      // A reader never holds Ctrl, Alt or Meta: those are people (or the system).
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      const r = decoder.key({ code: e.code, shiftKey: e.shiftKey, timeStamp: e.timeStamp });
      if (r.kind === 'pass') return;
      e.preventDefault();
      e.stopPropagation();
      if (r.kind === 'read') latest.current(r.uid);
      else if (r.kind === 'rejected') console.warn(`kiosk: a reader's burst was not taken as a badge (${r.reason}): ${r.text}`);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [layout, formats]);
}
