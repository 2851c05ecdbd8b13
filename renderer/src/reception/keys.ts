// Keyboard-first: Alt+letter shortcuts (shown on screen next to what they do) and focus.

/** The letter of an Alt+letter press: the key's character, or its position when Alt changed it. */
export function shortcutLetter(e: KeyboardEvent): string | undefined {
  if (!e.altKey || e.ctrlKey || e.metaKey) return undefined;
  if (/^[a-z]$/i.test(e.key)) return e.key.toUpperCase();
  const m = /^Key([A-Z])$/.exec(e.code);
  return m ? m[1] : undefined;
}

/** Focuses the element marked data-autofocus in `root` (the screen's first field or heading). */
export function focusFirst(root: ParentNode | null = document): void {
  requestAnimationFrame(() => root?.querySelector<HTMLElement>('[data-autofocus]')?.focus());
}
