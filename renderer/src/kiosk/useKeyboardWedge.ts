// A keyboard-wedge badge reader types the badge number into the window, then Enter. Every keydown
// goes through the layout-independent decoder (KeyboardEvent.code, never .key): a burst ended by
// Enter is a read; the keys of a burst are kept from the page.
import { useEffect, useRef } from 'react';
import { KeyboardWedgeDecoder } from '../../../common/readers/keyboard-wedge.js';

export function useKeyboardWedge(onRead: (uid: string) => void): void {
  const latest = useRef(onRead);
  latest.current = onRead;
  useEffect(() => {
    const decoder = new KeyboardWedgeDecoder();
    const onKeyDown = (e: KeyboardEvent) => {
      // A reader never holds Ctrl, Alt or Meta: those are people (or the system).
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      const r = decoder.key({ code: e.code, shiftKey: e.shiftKey, timeStamp: e.timeStamp });
      if (r.kind === 'pass') return;
      e.preventDefault();
      e.stopPropagation();
      if (r.kind === 'read') latest.current(r.uid);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
