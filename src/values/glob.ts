// Go's path.Match and module.MatchPrefixPatterns, ported faithfully: GOPRIVATE patterns mean
// what the go command makes of them, and a malformed one is reported, never a crash.

export class BadPatternError extends Error {}

/** path.Match: whether `name` matches the shell pattern; throws BadPatternError for bad syntax. */
export function pathMatch(pattern: string, name: string): boolean {
  // Go's path.Match works on runes: spreading a string splits it by code point, as Go does.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what we want
  let p = [...pattern];
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- as above
  let s = [...name];
  outer: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    if (star && chunk.length === 0) return !s.includes('/');
    const first = matchChunk(chunk, s);
    if (first.ok && (first.rest.length === 0 || p.length > 0)) {
      s = first.rest;
      continue;
    }
    if (first.error) throw new BadPatternError('syntax error in pattern');
    if (star) {
      for (let i = 0; i < s.length && s[i] !== '/'; i++) {
        const attempt = matchChunk(chunk, s.slice(i + 1));
        if (attempt.ok) {
          if (p.length === 0 && attempt.rest.length > 0) continue;
          s = attempt.rest;
          continue outer;
        }
        if (attempt.error) throw new BadPatternError('syntax error in pattern');
      }
    }
    while (p.length > 0) {
      const next = scanChunk(p);
      p = next.rest;
      if (matchChunk(next.chunk, []).error) throw new BadPatternError('syntax error in pattern');
    }
    return false;
  }
  return s.length === 0;
}

/** Whether the pattern is well-formed for path.Match. */
export function isValidPattern(pattern: string): boolean {
  try {
    pathMatch(pattern, '');
    return true;
  } catch (error) {
    if (error instanceof BadPatternError) return false;
    throw error;
  }
}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let index = 0;
  let star = false;
  while (index < pattern.length && pattern[index] === '*') {
    index++;
    star = true;
  }
  const body = pattern.slice(index);
  let inRange = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\') {
      if (i + 1 < body.length) i++;
    } else if (char === '[') inRange = true;
    else if (char === ']') inRange = false;
    else if (char === '*' && !inRange) return { star, chunk: body.slice(0, i), rest: body.slice(i) };
  }
  return { star, chunk: body, rest: [] };
}

function matchChunk(chunkIn: string[], sIn: string[]): { rest: string[]; ok: boolean; error?: true } {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    failed = failed || s.length === 0;
    const head = chunk[0];
    if (head === '[') {
      let r = '';
      if (!failed) {
        r = s[0]!;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === ']' && ranges > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const low = getEscaped(chunk);
        if (low.error) return { rest: [], ok: false, error: true };
        chunk = low.rest;
        let high = low.char;
        if (chunk[0] === '-') {
          const upper = getEscaped(chunk.slice(1));
          if (upper.error) return { rest: [], ok: false, error: true };
          chunk = upper.rest;
          high = upper.char;
        }
        const code = r === '' ? -1 : r.codePointAt(0)!;
        match = match || (code >= low.char.codePointAt(0)! && code <= high.codePointAt(0)!);
        ranges++;
      }
      failed = failed || match === negated;
    } else if (head === '?') {
      if (!failed) {
        failed = s[0] === '/';
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (head === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return { rest: [], ok: false, error: true };
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? { rest: [], ok: false } : { rest: s, ok: true };
}

function getEscaped(chunk: string[]): { char: string; rest: string[]; error?: true } {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return { char: '', rest: chunk, error: true };
  let rest = chunk;
  if (rest[0] === '\\') {
    rest = rest.slice(1);
    if (rest.length === 0) return { char: '', rest, error: true };
  }
  const char = rest[0]!;
  rest = rest.slice(1);
  if (rest.length === 0) return { char, rest, error: true };
  return { char, rest };
}

/**
 * module.MatchPrefixPatterns: whether any comma-separated glob matches a leading run of path
 * elements of `target` (GOPRIVATE, GONOPROXY, GONOSUMDB). A malformed glob matches nothing,
 * as in the go command.
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  for (const raw of globs.split(',')) {
    const glob = raw.replace(/\/$/, '');
    if (glob === '') continue;
    let slashes = glob.split('/').length - 1;
    let prefix = target;
    for (let i = 0; i < target.length; i++) {
      if (target[i] === '/') {
        if (slashes === 0) {
          prefix = target.slice(0, i);
          break;
        }
        slashes--;
      }
    }
    if (slashes > 0) continue;
    try {
      if (pathMatch(glob, prefix)) return true;
    } catch (error) {
      if (!(error instanceof BadPatternError)) throw error;
    }
  }
  return false;
}
