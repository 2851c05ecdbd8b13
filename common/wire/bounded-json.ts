// The JSON text of a value that came from outside, at most `maxChars` of it: for keeping what was
// refused (an invalid event's raw text at the hub) without trusting its shape. JSON.stringify
// recurses and reads the whole value: 200,000 nested arrays overflow the stack, a megabyte is
// written to keep ten kilobytes. This walks with its own stack and stops at the budget.
// The text is JSON.stringify's for every value that fits, cut at `maxChars` otherwise.

type Frame =
  | { kind: 'array'; items: readonly unknown[]; next: number }
  | { kind: 'object'; value: Record<string, unknown>; keys: string[]; next: number; written: number };

/** The value as JSON.stringify writes it, cut at `maxChars` (default 10,000) characters. */
export function boundedJson(value: unknown, maxChars = 10_000): string {
  const parts: string[] = [];
  let length = 0;
  const write = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  const stack: Frame[] = [];

  /** Writes a scalar, or opens a container; false when the value is one JSON leaves out (undefined, a function). */
  const open = (raw: unknown): boolean => {
    let v = raw;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: () => unknown }).toJSON();
    switch (typeof v) {
      case 'string':
        // Escaping only lengthens a string: what is past the budget is never needed.
        write(JSON.stringify(v.length > maxChars - length ? v.slice(0, Math.max(0, maxChars - length)) : v));
        return true;
      case 'number':
        write(Number.isFinite(v) ? String(v) : 'null');
        return true;
      case 'boolean':
        write(v ? 'true' : 'false');
        return true;
      case 'bigint':
        write(JSON.stringify(String(v)));
        return true;
      case 'object':
        if (v === null) write('null');
        else if (Array.isArray(v)) {
          write('[');
          stack.push({ kind: 'array', items: v, next: 0 });
        } else {
          write('{');
          stack.push({ kind: 'object', value: v as Record<string, unknown>, keys: Object.keys(v), next: 0, written: 0 });
        }
        return true;
      default:
        return false;
    }
  };

  if (!open(value)) return '';
  while (stack.length > 0 && length < maxChars) {
    const top = stack[stack.length - 1]!;
    if (top.kind === 'array') {
      if (top.next >= top.items.length) {
        write(']');
        stack.pop();
        continue;
      }
      if (top.next > 0) write(',');
      if (!open(top.items[top.next++])) write('null');
    } else {
      if (top.next >= top.keys.length) {
        write('}');
        stack.pop();
        continue;
      }
      const key = top.keys[top.next++]!;
      const member = top.value[key];
      // JSON leaves out members it cannot write: so does this, before writing their key.
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      write(`${top.written++ > 0 ? ',' : ''}${JSON.stringify(key.length > maxChars ? key.slice(0, maxChars) : key)}:`);
      open(member);
    }
  }
  const text = parts.join('');
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
