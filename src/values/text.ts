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

/**
 * Masks what URLs carry as credentials: the userinfo (user:password@) and the query string
 * (?token=...). Applied to every message create-go-docker prints, so an error about a value
 * never puts its secret into a CI log.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]*@/gi, '$1***@')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?"'<>]*)\?[^\s"'<>]*/gi, '$1?***');
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
