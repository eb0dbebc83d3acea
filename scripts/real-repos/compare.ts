// Compares one repository's expected defaults with the default image `--yes` gave.
import type { DefaultImage } from './dockerfile.js';
import type { Expected, Field } from './expected.js';

export interface Mismatch {
  readonly field: Field;
  readonly what: string;
}

/** `./cmd/x/` and `cmd/x` are `./cmd/x`; the root is `.`. */
export function normalizePackage(pkg: string): string {
  const bare = pkg.replace(/^\.\//, '').replace(/\/+$/, '');
  return bare === '' || bare === '.' ? '.' : `./${bare}`;
}

/**
 * What arguments mean, without their values: the first word when it is not a flag (the
 * subcommand), the flag names (`-host=x` and `--host x` are both `host`), and how many more
 * positional arguments follow. Values differ in spelling (`:8080`, `0.0.0.0:8080`) more than in meaning.
 */
export function argShape(args: readonly string[]): string {
  const flags: string[] = [];
  let sub = '';
  let positional = 0;
  let valueOf = '';
  args.forEach((arg, index) => {
    if (arg.startsWith('-')) {
      const name = arg.replace(/^-+/, '').split('=')[0]!;
      flags.push(name);
      valueOf = arg.includes('=') ? '' : name;
    } else if (index === 0) sub = arg;
    else if (valueOf !== '') valueOf = '';
    else positional++;
  });
  const parts = [sub, ...[...new Set(flags)].sort().map((flag) => `--${flag}`)];
  if (positional > 0) parts.push(`+${positional} positional`);
  return parts.filter((part) => part !== '').join(' ');
}

const list = (values: readonly (string | number)[]): string => (values.length === 0 ? 'none' : values.join(' '));

export function compare(want: Expected, got: DefaultImage): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const first = got.binaries[0];
  const gotMain = first ? normalizePackage(first.pkg) : '(none)';
  if (gotMain !== normalizePackage(want.main)) mismatches.push({ field: 'main', what: `${gotMain}, not ${normalizePackage(want.main)}` });
  const wantPorts = [...new Set(want.ports)].sort((a, b) => a - b);
  const gotPorts = [...new Set(got.ports)].sort((a, b) => a - b);
  if (wantPorts.join() !== gotPorts.join()) mismatches.push({ field: 'ports', what: `${list(gotPorts)}, not ${list(wantPorts)}` });
  if (argShape(want.args) !== argShape(got.cmd)) {
    mismatches.push({ field: 'args', what: `${argShape(got.cmd) || 'none'}, not ${argShape(want.args) || 'none'}` });
  }
  const gotCgo = first?.cgo ?? false;
  if (gotCgo !== want.cgo) mismatches.push({ field: 'cgo', what: `cgo ${gotCgo ? 'on' : 'off'}, not ${want.cgo ? 'on' : 'off'}` });
  const gotTags = first?.tags ?? [];
  const missing = want.tags.filter((tag) => !gotTags.includes(tag));
  const extra = gotTags.filter((tag) => !want.tags.includes(tag));
  const tags = [missing.length > 0 ? `missing ${missing.join(',')}` : '', extra.length > 0 ? `extra ${extra.join(',')}` : ''];
  if (tags.some((part) => part !== '')) mismatches.push({ field: 'tags', what: tags.filter((part) => part !== '').join(', ') });
  return mismatches;
}
