// daemon.json's layout: what prettier's JSON printer makes of an indented JSON.stringify (objects
// expanded, an array of scalars on one line when it fits in 80 columns), written out here so
// generation does not parse prettier (about 600 KB) to format one small file. A unit test
// checks it against prettier itself. (Prettier fills long arrays of numbers several to a line;
// daemon.json has none, so that rule is left out.)

const PRINT_WIDTH = 80;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

/** Prettier breaks an array of two or more objects (or arrays), each with two or more entries. */
function mustBreak(array: Json[]): boolean {
  const size = (item: Json) => (isScalar(item) ? 0 : Array.isArray(item) ? item.length : Object.keys(item).length);
  const kind = (item: Json) => (isScalar(item) ? 'scalar' : Array.isArray(item) ? 'array' : 'object');
  return array.length > 1 && array.every((item) => kind(item) !== 'scalar' && kind(item) === kind(array[0]!) && size(item) > 1);
}

/** What can be printed on one line: non-empty objects stay expanded (their input was). */
function flat(value: Json): string | undefined {
  if (isScalar(value)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (mustBreak(value)) return undefined;
    const items = value.map(flat);
    return items.every((item) => item !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  return Object.keys(value).length === 0 ? '{}' : undefined;
}

/** One value at an indentation: `lead` columns precede it on its line, `tail` follow it (a comma). */
function format(value: Json, indent: string, lead: number, tail: number): string {
  const oneLine = flat(value);
  if (oneLine !== undefined && (isScalar(value) || lead + oneLine.length + tail <= PRINT_WIDTH)) return oneLine;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item, index) => `${inner}${format(item, inner, inner.length, index < value.length - 1 ? 1 : 0)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const lines = Object.entries(value as { [key: string]: Json }).map(([key, item], index, entries) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return `${head}${format(item, inner, head.length, index < entries.length - 1 ? 1 : 0)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function formatJson(value: Json): string {
  return `${format(value, '', 0, 0)}\n`;
}
