import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/flags.js';
import { detectProject } from '../src/detect/project.js';
import { UsageError } from '../src/errors.js';
import { loadAnswers, loadPolicy, type Policy } from '../src/options/option-files.js';
import type { PartialOptions } from '../src/options/model.js';
import { applyPolicy } from '../src/options/policy.js';
import { detectedOptions, recordedAnswers, resolveOptions } from '../src/options/resolve.js';
import {
  parseGoProxy,
  parseGoSumDb,
  parseGoVersion,
  parseImageArgs,
  parseImageRef,
  parsePrivatePatterns,
  parseRegistryPrefix,
} from '../src/options/validate.js';
import { makeProject, SIMPLE_SERVICE } from './helpers.js';

describe('GOPROXY validation', () => {
  it.each([
    'https://proxy.golang.org,direct',
    'https://goproxy.cn|https://proxy.golang.org,direct',
    'http://127.0.0.1:3000',
    'off',
    'direct',
  ])('accepts %s', (list) => expect(parseGoProxy('--goproxy', list)).toBe(list));

  it.each([
    ['goproxy.cn,direct', /"goproxy\.cn" is not a URL, "direct" or "off"; write it as https:\/\/goproxy\.cn/],
    ['https://goproxy.cn,,direct', /has an empty entry/],
    ['ftp://mirror.example', /"ftp:\/\/mirror\.example" is not an http:\/\/ or https:\/\/ URL; GOPROXY entries must be http/],
    ['https://user:token@athens.corp', /has credentials/],
    ['', /empty GOPROXY/],
  ])('rejects %s', (list, message) => expect(() => parseGoProxy('--goproxy', list)).toThrow(message));
});

describe('GOPRIVATE, GOSUMDB, versions and images', () => {
  it('splits, trims and de-duplicates private patterns', () => {
    expect(parsePrivatePatterns('--private', 'git.corp.example/*, *.internal.example,git.corp.example/*')).toEqual([
      'git.corp.example/*',
      '*.internal.example',
    ]);
  });
  it.each([
    ['https://git.corp.example/team', /is a URL; GOPRIVATE takes module path patterns such as git\.corp\.example\/team/],
    ['git@git.corp.example:team/repo.git', /is a URL; GOPRIVATE takes module path patterns such as git\.corp\.example\/team\/repo/],
    ['git.corp.example/[abc', /is not a module path pattern/],
    ['has space', /is not a module path pattern/],
    [',', /no patterns given/],
  ])('rejects private pattern %s', (value, message) => expect(() => parsePrivatePatterns('--private', value)).toThrow(message));

  it('accepts checksum databases and rejects junk', () => {
    expect(parseGoSumDb('--gosumdb', 'sum.golang.google.cn')).toBe('sum.golang.google.cn');
    expect(parseGoSumDb('--gosumdb', 'sum.golang.org https://sum.golang.google.cn')).toBe('sum.golang.org https://sum.golang.google.cn');
    expect(parseGoSumDb('--gosumdb', 'off')).toBe('off');
    expect(() => parseGoSumDb('--gosumdb', 'a b c')).toThrow(UsageError);
  });

  it('normalises Go versions', () => {
    expect(parseGoVersion('--go', 'go1.23.4')).toBe('1.23.4');
    expect(parseGoVersion('--go', '1.26')).toBe('1.26');
    expect(() => parseGoVersion('--go', 'latest')).toThrow(/use a release such as 1\.26/);
  });

  it('checks image references and registry prefixes', () => {
    expect(parseImageRef('--base-image', 'registry.corp.example:5000/base/runtime:1.2')).toBe(
      'registry.corp.example:5000/base/runtime:1.2',
    );
    expect(() => parseImageRef('--base-image', 'Bad Image')).toThrow(UsageError);
    expect(parseRegistryPrefix('--registry', 'harbor.corp.example/proxy/')).toBe('harbor.corp.example/proxy');
    expect(() => parseRegistryPrefix('--registry', 'https://harbor.corp.example')).toThrow(
      /has a scheme; give the prefix without it, e\.g\. harbor\.corp\.example/,
    );
  });
});

describe('command line', () => {
  it('maps every option flag to the model', () => {
    const parsed = parseCommandLine([
      'proj',
      '-y',
      '--region',
      'custom',
      '--goproxy',
      'https://athens.corp.example|direct',
      '--gosumdb',
      'sum.golang.org',
      '--private',
      'git.corp.example/*',
      '--auth',
      'token',
      '--base',
      'alpine',
      '--base-image',
      'alpine:3.22',
      '--registry',
      'harbor.corp.example/hub',
      '--go',
      '1.25.3',
      '--main',
      'cmd/api',
      '--port',
      '9000',
      '--cgo',
      'off',
      '--ca-cert',
      'ca.pem',
      '--platforms',
      'linux/amd64,linux/arm64',
      '--dns',
      '10.0.0.2',
      '--proxy',
      'http://proxy.corp.example:3128',
      '--no-daemon-json',
      '--dry-run',
      '--force',
    ]);
    expect(parsed.dir).toBe('proj');
    expect(parsed.yes && parsed.dryRun && parsed.force).toBe(true);
    expect(parsed.flagOptions).toEqual({
      region: 'custom',
      goProxy: 'https://athens.corp.example|direct',
      goSumDb: 'sum.golang.org',
      privatePatterns: ['git.corp.example/*'],
      auth: 'token',
      base: 'alpine',
      baseImage: 'alpine:3.22',
      registry: 'harbor.corp.example/hub',
      goVersion: '1.25.3',
      mainPackage: './cmd/api',
      port: 9000,
      cgo: 'off',
      caCert: 'ca.pem',
      platforms: ['linux/amd64', 'linux/arm64'],
      dns: ['10.0.0.2'],
      proxy: 'http://proxy.corp.example:3128',
      daemonJson: false,
    });
  });

  it.each([
    [['--regoin', 'cn'], /unknown option --regoin; did you mean --region\?/],
    [['--region', 'mars'], /--region: "mars" is not one of global, cn, custom/],
    [['--port'], /--port needs a value/],
    [['--port', '70000'], /--port: "70000" is not a TCP port/],
    [['a', 'b'], /too many arguments/],
    [['--main', '../other'], /--main: "\.\.\/other" is not a package directory inside the module/],
  ])('rejects %j', (argv, message) => expect(() => parseCommandLine(argv)).toThrow(message));
});

describe('precedence: defaults < detected < .go-docker.yaml < flags, then the policy', () => {
  // Plain literals stand for values a validator already checked (the casts are the test's word for it).
  type Loose<T> = {
    [K in keyof T]?: T[K] extends readonly unknown[] | undefined ? string[] : T[K] extends string | undefined ? string : T[K];
  };
  const policy = (fields: Omit<Partial<Policy>, 'fixed' | 'minGo'> & { fixed?: Loose<PartialOptions>; minGo?: string }): Policy =>
    ({ path: 'org.yaml', fixed: {}, lines: { goproxy: 3, 'allowed-bases': 4, 'min-go': 5, base: 6 }, ...fields }) as Policy;
  const layered = (answersLoose: Loose<PartialOptions>, flagsLoose: Loose<PartialOptions> = {}) => {
    const answers = answersLoose as PartialOptions;
    const flags = flagsLoose as PartialOptions;
    const project = detectProject(makeProject(SIMPLE_SERVICE));
    return resolveOptions([
      { source: 'detected', values: detectedOptions(project) },
      { source: 'answers', values: answers },
      { source: 'flag', values: flags },
    ]);
  };

  it('lets each later layer win and records where each value came from', () => {
    const resolved = layered({ base: 'alpine', port: 9000 }, { port: 9100 });
    expect(resolved.options).toMatchObject({ base: 'alpine', port: 9100, goVersion: '1.26', auth: 'none' });
    expect(resolved.sources).toMatchObject({ base: 'answers', port: 'flag', goVersion: 'detected', auth: 'default' });
    // Only the user's own answers are recorded: detection and defaults stay live.
    expect(recordedAnswers(resolved)).toEqual({ base: 'alpine', port: 9100 });
  });

  it('a fixed policy value overrides an answer in .go-docker.yaml, with a note, and is not recorded', () => {
    const { resolved, notes } = applyPolicy(
      layered({ region: 'custom', goProxy: 'https://old.corp.example' }),
      policy({ fixed: { region: 'custom', goProxy: 'https://athens.corp.example,direct' } }),
    );
    expect(resolved.options.goProxy).toBe('https://athens.corp.example,direct');
    expect(resolved.sources.goProxy).toBe('policy');
    expect(notes).toEqual([
      "goproxy: the policy org.yaml:3 fixes it to https://athens.corp.example,direct, replacing .go-docker.yaml's " +
        'goproxy (https://old.corp.example).',
    ]);
    // Fixed keys are the policy's, even where the project had written the same value.
    expect(recordedAnswers(resolved)).toEqual({});
  });

  it('a flag that contradicts a fixed value is a usage error naming both', () => {
    expect(() => applyPolicy(layered({}, { base: 'alpine' }), policy({ fixed: { base: 'distroless' } }))).toThrow(
      /--base alpine: the policy org\.yaml:6 fixes base to distroless; drop the flag or change the policy/,
    );
  });

  it("keeps the policy's private patterns and the project's own, recording only the project's", () => {
    const { resolved } = applyPolicy(
      layered({ privatePatterns: ['git.team.example/*'] }),
      policy({ fixed: { privatePatterns: ['git.corp.example/*'] } }),
    );
    expect(resolved.options.privatePatterns).toEqual(['git.corp.example/*', 'git.team.example/*']);
    expect(recordedAnswers(resolved, { privatePatterns: ['git.corp.example/*'] } as PartialOptions)).toEqual({
      privatePatterns: ['git.team.example/*'],
    });
  });

  it('allowed-bases: an answer outside the list is an error naming both; the default falls to the first allowed', () => {
    const restricted = policy({ allowedBases: ['scratch', 'distroless'] });
    expect(() => applyPolicy(layered({ base: 'alpine' }), restricted)).toThrow(
      /base alpine \(\.go-docker\.yaml's base\) is not allowed by the policy org\.yaml:4 \(allowed-bases: scratch, distroless\)/,
    );
    expect(applyPolicy(layered({}), policy({ allowedBases: ['scratch'] })).resolved.options.base).toBe('scratch');
    expect(applyPolicy(layered({}), restricted).resolved.options.base).toBe('distroless');
  });

  it('min-go raises a detected Go version and refuses an older answer', () => {
    const { resolved, notes } = applyPolicy(layered({}), policy({ minGo: '1.27' }));
    expect(resolved.options.goVersion).toBe('1.27');
    expect(notes[0]).toMatch(/builder uses Go 1\.27, the floor set by the policy org\.yaml:5 \(go\.mod says 1\.26\)/);
    expect(applyPolicy(layered({}), policy({ minGo: '1.9' })).resolved.options.goVersion).toBe('1.26');
    expect(() => applyPolicy(layered({}, { goVersion: '1.25.3' }), policy({ minGo: '1.26' }))).toThrow(
      /go 1\.25\.3 \(--go\) is older than the policy org\.yaml:5 allows \(min-go: 1\.26\)/,
    );
  });

  it('prefers the toolchain line over the go line', () => {
    const project = detectProject(
      makeProject({ 'go.mod': 'module a\n\ngo 1.22\n\ntoolchain go1.23.4\n', 'main.go': 'package main\nfunc main() {}\n' }),
    );
    expect(detectedOptions(project).goVersion).toBe('1.23.4');
  });
});

describe('policy and .go-docker.yaml files', () => {
  const write = (text: string): string => {
    const dir = makeProject({});
    const path = join(dir, 'policy.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('reads keys spelt like the flags, with paths relative to the file, and the constraints', () => {
    const path = write(
      'schemaVersion: 2\nregion: custom\ngoproxy: https://athens.corp.example,direct\nprivate: ' +
        '[git.corp.example/*]\nca-cert: certs/ca.pem\nallowed-bases: [distroless, scratch]\nmin-go: "1.25"\n',
    );
    const policy = loadPolicy(path);
    expect(policy.fixed).toEqual({
      region: 'custom',
      goProxy: 'https://athens.corp.example,direct',
      privatePatterns: ['git.corp.example/*'],
      caCert: join(path, '..', 'certs', 'ca.pem'),
    });
    expect(policy).toMatchObject({ allowedBases: ['distroless', 'scratch'], minGo: '1.25' });
    expect(policy.lines).toMatchObject({ goproxy: 3, 'allowed-bases': 6, 'min-go': 7 });
  });

  it('reads a schemaVersion 1 policy (migrated: same keys)', () => {
    expect(loadPolicy(write('schemaVersion: 1\nregion: cn\n')).fixed).toEqual({ region: 'cn' });
  });

  it.each([
    ['schemaVersion: 1\nregion: cn\nbse: alpine\n', /policy\.yaml:3: unknown key "bse"; known keys are region, goproxy/],
    ['schemaVersion: 1\nport: eighty\n', /policy\.yaml:2: port: "eighty" is not a TCP port/],
    ['schemaVersion: 1\nprivate: {a: b}\n', /policy\.yaml:2: private: expected a list of text values, got a mapping/],
    [
      'schemaVersion: 3\n',
      /policy\.yaml:1: schemaVersion 3 is newer than this create-go-docker understands \(2\); upgrade create-go-docker/,
    ],
    ['region: cn\n', /policy\.yaml:1: missing "schemaVersion: 2"/],
    ['schemaVersion: 2\nallowed-bases: [distroless, busybox]\n', /policy\.yaml:2: allowed-bases: "busybox" is not one of/],
    ['schemaVersion: 2\nmin-go: latest\n', /policy\.yaml:2: min-go: "latest" is not a Go version/],
    ['schemaVersion: 1\nregion: [cn\n', /policy\.yaml:\d+: invalid YAML/],
    ['- a\n- b\n', /expected a mapping/],
  ])('rejects %j', (text, message) => expect(() => loadPolicy(write(text))).toThrow(message));

  it('reads the recorded policy path and file hashes of .go-docker.yaml', () => {
    const dir = makeProject({
      '.go-docker.yaml':
        'schemaVersion: 1\ngenerator: create-go-docker 0.1.0\npolicy: ../org/policy.yaml\nbase: scratch\nfiles:\n  ' +
        'Dockerfile: sha256:abababababababababababababababababababababababababababababababab\n',
    });
    expect(loadAnswers(join(dir, '.go-docker.yaml'))).toEqual({
      options: { base: 'scratch' },
      policy: { record: { spec: { kind: 'path', path: join(dir, '..', 'org', 'policy.yaml') } }, line: 3, written: '../org/policy.yaml' },
      files: { Dockerfile: 'sha256:abababababababababababababababababababababababababababababababab' },
      lines: { schemaVersion: 1, generator: 2, policy: 3, base: 4, files: 5 },
    });
    const outside = makeProject({ '.go-docker.yaml': 'schemaVersion: 2\nproject: ../svc\n' });
    expect(loadAnswers(join(outside, '.go-docker.yaml'))?.project).toBe(join(outside, '..', 'svc'));
  });
});

describe('--args', () => {
  it('splits on spaces and tabs as a shell does, with quotes and backslashes', () => {
    expect(parseImageArgs('--args', `serve\t--http=0.0.0.0:8090 "two words" one\\ word`)).toEqual([
      'serve',
      '--http=0.0.0.0:8090',
      'two words',
      'one word',
    ]);
  });

  it('blank means no default arguments', () => {
    expect(parseImageArgs('--args', '')).toEqual([]);
    expect(parseImageArgs('--args', ' \t ')).toEqual([]);
  });

  it('refuses any other control character or line break instead of treating it as a separator', () => {
    for (const value of ['\r', '\t\r', '\f', '\v', 'a\nb', 'serve\u2028x']) {
      expect(() => parseImageArgs('--args', value), JSON.stringify(value)).toThrow(/contains a control character or line break/);
    }
  });
});
