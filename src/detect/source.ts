// What one .go file says, read from its text with regular expressions (no Go parser at run
// time): its package clause, build constraints, imports of "C", //go:embed patterns, listen
// ports and a version variable. Pure functions.
import type { GoIdentifier } from '../values/kinds.js';

export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** `//go:build ignore` (or the old `// +build ignore`) before the package clause. */
export function isBuildIgnored(source: string): boolean {
  const header = source.slice(0, source.search(/^\s*package\s/m) >>> 0);
  return /^\/\/go:build\s+ignore\s*$/m.test(header) || /^\/\/\s*\+build\s+ignore\s*$/m.test(header);
}

export function importsC(source: string): boolean {
  const code = stripComments(source);
  if (/^\s*import\s+"C"/m.test(code)) return true;
  for (const block of code.matchAll(/^\s*import\s*\(([\s\S]*?)\)/gm)) {
    if (/^\s*"C"\s*$/m.test(block[1]!)) return true;
  }
  return false;
}

export function findEmbedPatterns(source: string): { pattern: string; line: number }[] {
  const patterns: { pattern: string; line: number }[] = [];
  for (const match of source.matchAll(/^\/\/go:embed[ \t]+(.+)$/gm)) {
    const line = source.slice(0, match.index).split('\n').length;
    for (const token of match[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)) {
      const pattern = (token[1] ?? token[2] ?? token[3]!).replace(/^all:/, '');
      patterns.push({ pattern, line });
    }
  }
  return patterns;
}

/** Listen addresses written as literals: ":8080", "0.0.0.0:8080". */
export function findPorts(source: string): number[] {
  const ports: number[] = [];
  for (const match of stripComments(source).matchAll(/"(?:0\.0\.0\.0|\[::\])?:(\d{2,5})"/g)) {
    const port = Number(match[1]);
    if (port >= 1 && port <= 65535) ports.push(port);
  }
  return ports;
}

/** A package-level `var version string` / `var Version = "dev"` that -X can set. */
export function findVersionVariable(source: string): GoIdentifier | undefined {
  const code = stripComments(source);
  const single = /^var\s+(version|Version)\s*(?:string\s*)?(?:=\s*"[^"\n]*")?\s*$/m.exec(code);
  if (single) return single[1] as GoIdentifier;
  for (const block of code.matchAll(/^var\s*\(([\s\S]*?)^\)/gm)) {
    const inBlock = /^\s+(version|Version)\s*(?:string\s*)?(?:=\s*"[^"\n]*")?\s*$/m.exec(block[1]!);
    if (inBlock) return inBlock[1] as GoIdentifier;
  }
  return undefined;
}
