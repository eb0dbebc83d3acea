// go.work: the modules a workspace uses and its go/toolchain lines. Pure: text in, data out,
// with the same tokenizer rules as go.mod (parseGoMod handles quoting and blocks).
import type { GoVersion } from '../values/kinds.js';
import { GoModSyntaxError } from './gomod.js';

export interface GoWork {
  /** Module directories as written (./server, ../lib, .). */
  uses: { dir: string; line: number }[];
  goVersion?: string;
  toolchain?: string;
  lines: { go?: number; toolchain?: number };
}

/** go.work with its versions checked (detect/filesystem.ts): what a Dockerfile may name. */
export type CheckedGoWork = Omit<GoWork, 'goVersion' | 'toolchain'> & { goVersion?: GoVersion; toolchain?: GoVersion };

export function parseGoWork(text: string): GoWork {
  const work: GoWork = { uses: [], lines: {} };
  let inUseBlock = false;
  let blockLine = 0;
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const lineNumber = index + 1;
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (inUseBlock) {
      if (line === ')') inUseBlock = false;
      else work.uses.push({ dir: unquote(line, lineNumber), line: lineNumber });
      continue;
    }
    const [verb, ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    if (verb === 'use') {
      if (argument === '(') {
        inUseBlock = true;
        blockLine = lineNumber;
      } else work.uses.push({ dir: unquote(argument, lineNumber), line: lineNumber });
    } else if (verb === 'go') {
      work.goVersion = unquote(argument, lineNumber);
      work.lines.go = lineNumber;
    } else if (verb === 'toolchain' && argument !== 'default') {
      work.toolchain = unquote(argument, lineNumber).replace(/^go/, '').replace(/-.*$/s, '');
      work.lines.toolchain = lineNumber;
    }
  }
  if (inUseBlock) throw new GoModSyntaxError('unclosed "use (" block', blockLine);
  return work;
}

function unquote(token: string, line: number): string {
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) {
    try {
      return JSON.parse(token) as string;
    } catch {
      throw new GoModSyntaxError(`malformed quoted string ${token}`, line);
    }
  }
  if (/^`[^`]*`$/.test(token)) return token.slice(1, -1);
  return token;
}
