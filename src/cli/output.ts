// The only way text reaches the terminal: every line has its secrets masked and its control
// characters escaped, since lines can quote values from hostile files and flags. On a colour
// terminal, warnings are yellow and errors red (never with NO_COLOR, a pipe or --json).
import { safeJson, safeText } from '../values/text.js';

type Write = (text: string) => void;

const YELLOW = '\u001b[33m';
const RED = '\u001b[31m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Colours added after the text was made safe: the escape sequences are ours alone. */
function colour(line: string): string {
  if (/^ {2}! /.test(line) || line === 'Warnings:') return `${YELLOW}${line}${RESET}`;
  if (/^create-go-docker: /.test(line)) return `${RED}${line}${RESET}`;
  if (/^(Build|Run|Next steps|Notes|Policy):$/.test(line)) return `${BOLD}${line}${RESET}`;
  return line;
}

export interface Output {
  lines(lines: readonly string[]): void;
  /** Text that already ends in a newline (a diff). */
  text(text: string): void;
  json(json: string): void;
}

export function outputTo(write: Write, colours = false): Output {
  return {
    lines: (lines) => {
      const safe = safeText(lines.join('\n'));
      write(`${colours ? safe.split('\n').map(colour).join('\n') : safe}\n`);
    },
    text: (text) => write(safeText(text)),
    json: (json) => write(safeJson(json)),
  };
}

export function printLines(write: Write, lines: readonly string[]): void {
  outputTo(write).lines(lines);
}

export function printText(write: Write, text: string): void {
  outputTo(write).text(text);
}

export function printJson(write: Write, json: string): void {
  outputTo(write).json(json);
}
