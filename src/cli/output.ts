// The only way text reaches the terminal: every line has its secrets masked and its control
// characters escaped, since lines can quote values from hostile files and flags.
import { safeJson, safeText } from '../values/text.js';

type Write = (text: string) => void;

export function printLines(write: Write, lines: readonly string[]): void {
  write(`${safeText(lines.join('\n'))}\n`);
}

/** Text that already ends in a newline (a diff). */
export function printText(write: Write, text: string): void {
  write(safeText(text));
}

export function printJson(write: Write, json: string): void {
  write(safeJson(json));
}
