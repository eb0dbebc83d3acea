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
