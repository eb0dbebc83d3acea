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

/** Where a command starts in a line: the rest is pasted as it is, so it is never broken. */
const COMMAND_START = /(?:^|: )(?:sudo|docker|npx|npm|go|git|curl|export|ssh-add|create-go-docker) /;

/**
 * A line wrapped at word boundaries to `columns`, continuation lines indented under the text of
 * a "  - " or "  ! " item. A command in it (COMMAND_START) is never broken: it goes whole onto
 * its own line, however long, so a terminal's copy of it still pastes as one command.
 */
function wrapLine(line: string, columns: number): string[] {
  if (line.length <= columns) return [line];
  const indent = ' '.repeat(/^ *(?:[-!] )?/.exec(line)![0].length);
  const command = COMMAND_START.exec(line.slice(indent.length));
  // The command starts after the ": " the match may include.
  const commandAt = command ? indent.length + command.index + (command[0].startsWith(': ') ? 2 : 0) : line.length;
  const prose = line.slice(0, commandAt).trimEnd();
  const wrapped: string[] = [];
  let current = '';
  for (const word of prose.slice(indent.length).split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (current !== '' && (wrapped.length === 0 ? line.slice(0, indent.length) : indent).length + candidate.length > columns) {
      wrapped.push(current);
      current = word;
    } else current = candidate;
  }
  if (current !== '') wrapped.push(current);
  const out = wrapped.map((text, index) => `${index === 0 ? line.slice(0, indent.length) : indent}${text}`);
  if (command) out.push(`${indent}${line.slice(commandAt)}`);
  return out;
}

export function outputTo(write: Write, colours = false, columns?: number): Output {
  return {
    lines: (lines) => {
      const shown = columns && columns >= 40 ? lines.flatMap((line) => line.split('\n')).flatMap((line) => wrapLine(line, columns)) : lines;
      const safe = safeText(shown.join('\n'));
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
