// Text safety shared by every output: what counts as a control character, how a value is shown
// in a one-line message without letting it steer the terminal, and how secrets are masked.
// Pure functions.

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
 * overrides: anything that can end a line, move the cursor or reorder what a reader sees.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;
const CONTROL_GLOBAL = new RegExp(CONTROL.source, 'gu');

export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

/** The value with every control character written as \u{..}, so it prints on one line, inertly. */
export function printable(value: string): string {
  return value.replace(CONTROL_GLOBAL, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/** Shortens a very long value for a message, keeping its start. */
export function abbreviate(value: string, max = 120): string {
  return value.length <= max ? value : `${value.slice(0, max)}... (${value.length} characters)`;
}

/** A user's value as a message quotes it: secrets masked, control characters escaped, length capped. */
export function quoted(value: string): string {
  return `"${abbreviate(printable(redactSecrets(value)))}"`;
}

/** The longest value any flag or file key may hold: longer is an error before any other check. */
export const MAX_VALUE_LENGTH = 4096;

/**
 * Masks what URLs carry as credentials: the userinfo (user:password@) and the query string
 * (?token=...). Applied to every message create-go-docker prints, so an error about a value
 * never puts its secret into a CI log. Linear in the text's length (a regular expression here
 * was quadratic on long hostile values), and it masks too much rather than too little: any
 * "://" starts a URL, and a query runs to the next white space.
 */
export function redactSecrets(text: string): string {
  if (!text.includes('://') && !text.includes('@')) return text;
  return text
    .split(/(\s+)/)
    .map((token) => (token.includes('://') ? redactToken(token) : token.includes('@') ? redactBareUserinfo(token) : token))
    .join('');
}

/** An image digest after the "@" of name:tag@sha256:...: no password before it. */
const DIGEST_AFTER = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32}/;

/**
 * user:password@host without a scheme, as curl and HTTP_PROXY take it: the userinfo before the
 * token's first "/" is masked when it holds a ":" (a password). It starts after a quote, "=",
 * "(", "," or "|", so a quoted value or an entry of a GOPROXY list is masked alone.
 */
function redactBareUserinfo(token: string): string {
  const slash = token.indexOf('/');
  const at = (slash < 0 ? token : token.slice(0, slash)).lastIndexOf('@');
  if (at < 0 || DIGEST_AFTER.test(token.slice(at + 1))) return token;
  let start = at;
  while (start > 0 && !`"'=(,|<[`.includes(token[start - 1]!)) start--;
  return token.slice(start, at).includes(':') ? `${token.slice(0, start)}***${token.slice(at)}` : token;
}

function redactToken(token: string): string {
  let result = '';
  let emitted = 0;
  let search = 0;
  for (let separator = token.indexOf('://'); separator >= 0; separator = token.indexOf('://', search)) {
    const authorityStart = separator + 3;
    let authorityEnd = authorityStart;
    while (authorityEnd < token.length && !'/?#'.includes(token[authorityEnd]!)) authorityEnd++;
    const at = token.slice(authorityStart, authorityEnd).lastIndexOf('@');
    if (at >= 0) {
      result += `${token.slice(emitted, authorityStart)}***`;
      emitted = authorityStart + at;
    }
    search = authorityStart;
  }
  result += token.slice(emitted);
  const firstUrl = result.indexOf('://');
  const query = result.indexOf('?', firstUrl);
  // Already masked (a message quoting a value that was redacted before): keep what follows.
  if (query < 0 || result.startsWith('***', query + 1)) return result;
  const fragment = result.indexOf('#', query);
  return `${result.slice(0, query + 1)}***${fragment >= 0 ? result.slice(fragment) : ''}`;
}

/** A URL's host and path alone, for a suggestion: no scheme, credentials, query or fragment. */
export function hostAndPath(url: string): string {
  return url
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^/?#]*@/, '')
    .replace(/[?#][\s\S]*$/, '');
}

/** One line for the terminal: secrets masked, controls escaped (a message may hold user values). */
export function safeLine(text: string): string {
  return printable(redactSecrets(text));
}

/** Several lines for the terminal, each made safe (line breaks kept, every other control escaped). */
export function safeText(text: string): string {
  return text
    .split('\n')
    .map((line) => safeLine(line))
    .join('\n');
}

/**
 * JSON text made safe for a terminal and a log: secrets masked, and the characters JSON.stringify
 * leaves raw (DEL, C1 controls, line separators, bidi overrides) written as \u escapes.
 */
export function safeJson(text: string): string {
  return redactSecrets(text).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
