// hclString (docker-bake.hcl): any value, however hostile, is written as a literal that HCL reads
// back as exactly that value; "${" and "%{" never start an interpolation or a directive. Checked
// by HCL's own grammar for quoted templates here, and by HashiCorp's parser itself (Go, run from
// test/reference/hcl) when the Go module proxy or cache can provide it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclString } from '../src/render/hcl.js';
import { REPO_ROOT } from './helpers.js';
import { PIECES, seededRandom } from './safety/hostile.js';

const TEMPLATE_PIECES = [
  '${x}',
  '${',
  '$${x}',
  '$$${x}',
  '$',
  '$$',
  '%{ if x }',
  '%{',
  '%%{',
  '%',
  '{',
  '}',
  '~}',
  '\\',
  '\\n',
  '"',
  '\b',
  '\f',
  '\u0000',
  '\u007f',
  '\ud800',
  '\udfff',
  '🙂',
  'a',
];

/** Seeded hostile values: template syntax, escapes, controls, lone surrogates, mixed with everything else. */
function hostileValues(count: number): string[] {
  const random = seededRandom(11);
  const pieces = [...TEMPLATE_PIECES, ...TEMPLATE_PIECES, ...PIECES.filter((piece) => piece.length < 100)];
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]!).join(''),
  );
}

/** What a value is once written as UTF-8: a lone surrogate becomes U+FFFD. */
function wellFormed(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/**
 * HCL's quoted template grammar (hclsyntax spec, "Template Expressions"): the escapes \n \r \t
 * \" \\ \uNNNN \UNNNNNNNN, "$${" and "%%{" for literal "${" and "%{"; a bare "${" or "%{" starts
 * an interpolation or a directive, which a literal must not have. Returns the string, or why not.
 */
function readHclLiteral(literal: string): string | { problem: string } {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) return { problem: 'not quoted' };
  const body = literal.slice(1, -1);
  let value = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char === '\\') {
      const next = body[index + 1];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      if (next !== undefined && simple[next] !== undefined) {
        value += simple[next];
        index++;
      } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(index + 2, index + 6))) {
        const code = parseInt(body.slice(index + 2, index + 6), 16);
        if (code >= 0xd800 && code <= 0xdfff) return { problem: `\\u escape of a surrogate at ${index}` };
        value += String.fromCharCode(code);
        index += 5;
      } else return { problem: `invalid escape \\${next ?? ''} at ${index}` };
    } else if (char === '"') return { problem: `unescaped quote at ${index}` };
    else if ((char === '$' || char === '%') && body[index + 1] === char && body[index + 2] === '{') {
      value += `${char}{`;
      index += 2;
    } else if ((char === '$' || char === '%') && body[index + 1] === '{')
      return { problem: `${char}{ starts a template sequence at ${index}` };
    else value += char;
  }
  return value;
}

describe('hclString: every value is an HCL literal of itself', () => {
  const values = [...TEMPLATE_PIECES, ...hostileValues(600)];

  it('reads back as the value under HCL quoted-template rules, never interpolating (624 values)', () => {
    const wrong = values
      .map((value) => ({ value, read: readHclLiteral(hclString(value)) }))
      .filter(({ value, read }) => read !== wellFormed(value))
      .map(
        ({ value, read }) =>
          `${JSON.stringify(value)} -> ${hclString(value)}: ${typeof read === 'string' ? JSON.stringify(read) : read.problem}`,
      );
    expect(wrong).toEqual([]);
    expect(hclString('${jsonencode(x)}%{ for a in b }')).toBe('"$${jsonencode(x)}%%{ for a in b }"');
  });

  it("HashiCorp's HCL parser evaluates each to the value (Go reference)", (context) => {
    const reference = spawnSync('go', ['run', '.'], {
      cwd: join(REPO_ROOT, 'test', 'reference', 'hcl'),
      input: values.map((value) => JSON.stringify(hclString(value))).join('\n'),
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, GOFLAGS: '-mod=readonly' },
    });
    // The parser is a Go module: without the module proxy and an empty cache there is nothing to run.
    if (
      reference.status !== 0 &&
      /dial tcp|lookup .*proxy|no such host|connection refused|i\/o timeout|missing go\.sum entry/.test(reference.stderr)
    ) {
      context.skip(`github.com/hashicorp/hcl/v2 cannot be downloaded here: ${reference.stderr.split('\n')[0]}`);
    }
    expect(reference.status, reference.stderr).toBe(0);
    const results = reference.stdout.trim().split('\n');
    expect(results).toHaveLength(values.length);
    // Go's JSON escapes differ from JavaScript's (\u0008 for \b, \u003c for <): compare the
    // strings, in NFC, since HCL's string type (cty) normalises every string to NFC ("c\u0301" is "ć").
    const read = (line: string | undefined) => (line === undefined || line.startsWith('error') ? line : (JSON.parse(line) as string));
    const wrong = values
      .map((value, index) =>
        read(results[index]) === wellFormed(value).normalize('NFC')
          ? undefined
          : `${JSON.stringify(value)} -> ${hclString(value)}: ${results[index]}`,
      )
      .filter(Boolean);
    expect(wrong).toEqual([]);
  }, 600_000);
});
