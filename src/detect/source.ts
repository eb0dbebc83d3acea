// What one .go file says, read from its text with regular expressions (no Go parser at run
// time): comments stripped, //go:embed patterns. Pure functions; build
// constraints are in constraints.ts, ports in ports.ts.
/**
 * The source with every comment replaced by spaces (line breaks kept, so offsets and line numbers
 * stay right) and string literals left alone: "http://x" is no comment. One linear pass: a
 * hostile file of "/*" runs cannot make it quadratic.
 */
export function stripComments(source: string): string {
  let result = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    const next = source[index + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      const stop = end < 0 ? source.length : end;
      result += ' '.repeat(stop - index);
      index = stop;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      const stop = end < 0 ? source.length : end + 2;
      result += source.slice(index, stop).replace(/[^\n]/g, ' ');
      index = stop;
    } else if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < source.length && source[end] !== char && !(char !== '`' && source[end] === '\n'))
        end += source[end] === '\\' && char !== '`' ? 2 : 1;
      result += source.slice(index, end + 1);
      index = end + 1;
    } else {
      result += char;
      index++;
    }
  }
  return result;
}

/** all: a directory's files whose names start with . or _ are embedded too (//go:embed all:dist). */
export function findEmbedPatterns(source: string): { pattern: string; line: number; all: boolean }[] {
  const patterns: { pattern: string; line: number; all: boolean }[] = [];
  for (const match of source.matchAll(/^[ \t]*\/\/go:embed[ \t]+(.+)$/gm)) {
    const line = source.slice(0, match.index).split('\n').length;
    for (const token of match[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)) {
      const written = token[1] ?? token[2] ?? token[3]!;
      patterns.push({ pattern: written.replace(/^all:/, ''), line, all: written.startsWith('all:') });
    }
  }
  return patterns;
}

/** Whether `text[at]` opens or closes a Go string literal ("..." with escapes, or `...`), given the one open. */
function quoteAt(text: string, at: number, open: string | undefined): string | undefined {
  const char = text[at]!;
  if (open === undefined) return char === '"' || char === '`' ? char : undefined;
  if (char === open && !(open === '"' && text[at - 1] === '\\')) return undefined;
  return open;
}

/** A list's top-level items, split at commas outside brackets and string literals, trimmed; empty ones dropped. */
export function splitArguments(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  let quote: string | undefined;
  for (let at = 0; at < list.length; at++) {
    const char = list[at]!;
    const wasQuoted = quote !== undefined;
    quote = quoteAt(list, at, quote);
    if (!wasQuoted && quote === undefined) {
      if (char === '(' || char === '{' || char === '[') depth++;
      if (char === ')' || char === '}' || char === ']') depth--;
      if (char === ',' && depth === 0) {
        items.push(current);
        current = '';
        continue;
      }
    }
    current += char;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter(Boolean);
}

/** The argument list of the call whose `(` is at `open` (parentheses in string literals do not count). */
export function argumentsAt(text: string, open: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let at = open; at < text.length; at++) {
    const wasQuoted = quote !== undefined;
    quote = quoteAt(text, at, quote);
    if (wasQuoted || quote !== undefined) continue;
    if (text[at] === '(') depth++;
    else if (text[at] === ')' && --depth === 0) return text.slice(open + 1, at);
  }
  return '';
}

/** The composite literal's body that opens at `open` (the index of its `{`), braces balanced. */
export function bodyAt(text: string, open: number): string {
  let depth = 0;
  for (let at = open; at < text.length; at++) {
    if (text[at] === '{') depth++;
    else if (text[at] === '}' && --depth === 0) return text.slice(open + 1, at);
  }
  return text.slice(open + 1);
}

/** The body with nested braces and brackets blanked: only the literal's own fields remain. */
export function topLevel(body: string): string {
  let depth = 0;
  let out = '';
  for (const char of body) {
    if (char === '{' || char === '[' || char === '(') depth++;
    if (depth === 0) out += char;
    if (char === '}' || char === ']' || char === ')') depth--;
  }
  return out;
}
