import { describe, expect, it } from 'vitest';
import { compareGoVersions, GoModSyntaxError, parseGoMod } from '../src/detect/gomod.js';

describe('parseGoMod', () => {
  it('reads module, go, toolchain, requires (block and single) and replaces', () => {
    const mod = parseGoMod(`// comment
module git.corp.example/team/svc // trailing

go 1.22.3

toolchain go1.23.4

require github.com/google/uuid v1.6.0

require (
\tgithub.com/mattn/go-sqlite3 v1.14.22
\tgolang.org/x/text v0.14.0 // indirect
)

replace (
\tgit.corp.example/team/lib => ./lib
\tgithub.com/old/dep v1.0.0 => github.com/new/dep v1.2.0
)
replace "example.com/quoted" => ../outside
exclude github.com/bad/dep v0.1.0
`);
    expect(mod.modulePath).toBe('git.corp.example/team/svc');
    expect(mod.goVersion).toBe('1.22.3');
    expect(mod.toolchain).toBe('1.23.4');
    expect(mod.requires).toEqual([
      { path: 'github.com/google/uuid', version: 'v1.6.0', indirect: false, line: 8 },
      { path: 'github.com/mattn/go-sqlite3', version: 'v1.14.22', indirect: false, line: 11 },
      { path: 'golang.org/x/text', version: 'v0.14.0', indirect: true, line: 12 },
    ]);
    expect(mod.replaces).toEqual([
      { from: 'git.corp.example/team/lib', to: './lib', isLocal: true, line: 16 },
      { from: 'github.com/old/dep', to: 'github.com/new/dep', toVersion: 'v1.2.0', isLocal: false, line: 17 },
      { from: 'example.com/quoted', to: '../outside', isLocal: true, line: 19 },
    ]);
  });

  it('reports the line of a malformed directive', () => {
    expect(() => parseGoMod('module a\n\nrequire github.com/x\n')).toThrow(GoModSyntaxError);
    try {
      parseGoMod('module a\n\nrequire github.com/x\n');
    } catch (error) {
      expect((error as GoModSyntaxError).line).toBe(3);
    }
    expect(() => parseGoMod('go 1.22\n')).toThrow(/no module directive/);
    expect(() => parseGoMod('module a\nrequire (\n')).toThrow(/unclosed/);
  });
});

describe('compareGoVersions', () => {
  it('orders releases, patch levels and pre-releases', () => {
    expect(compareGoVersions('1.22', '1.21.9')).toBe(1);
    expect(compareGoVersions('1.21.0', '1.21')).toBe(0);
    expect(compareGoVersions('1.23rc1', '1.23.0')).toBe(-1);
    expect(compareGoVersions('go1.23.4', '1.23.10')).toBe(-1);
  });
});
