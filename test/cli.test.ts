import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, FLAGS } from '../src/cli/flags.js';
import { makeProject, PRIVATE_SERVICE, REPO_ROOT, runBin, runCli, SIMPLE_SERVICE, snapshotTree } from './helpers.js';
import { TEST_CA } from './helpers.js';

/** A service that needs cgo (a file imports "C"). */
const CGO_SERVICE: Record<string, string> = { ...SIMPLE_SERVICE, 'sqlite.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n' };
const CGO_REFUSED = 'cannot run a cgo binary \\(sqlite\\.go imports "C"\\): it has no C library';

describe('bad input: one line, the right exit code, nothing touched', () => {
  const cases: [string, Record<string, string>, (dir: string) => string[], number, RegExp][] = [
    ['unknown flag', SIMPLE_SERVICE, () => ['--yes', '--bass', 'alpine'], 2, /unknown option --bass; did you mean --base\?/],
    ['bad enum', SIMPLE_SERVICE, () => ['--yes', '--auth', 'kerberos'], 2, /--auth: "kerberos" is not one of none, ssh, token/],
    [
      'malformed GOPROXY',
      SIMPLE_SERVICE,
      () => ['--yes', '--goproxy', 'goproxy.cn;direct'],
      2,
      /--goproxy: "goproxy\.cn;direct" is not one entry; separate GOPROXY entries with "," or "\|", not ";"/,
    ],
    [
      'malformed GOPRIVATE',
      SIMPLE_SERVICE,
      () => ['--yes', '--private', 'https://git.corp.example/x'],
      2,
      /--private: "https:\/\/git\.corp\.example\/x" is a URL/,
    ],
    [
      'custom region without a proxy',
      SIMPLE_SERVICE,
      () => ['--yes', '--region', 'custom'],
      2,
      /region custom \(--region\) needs --goproxy/,
    ],
    ['auth without private patterns', SIMPLE_SERVICE, () => ['--yes', '--auth', 'token'], 2, /auth token \(--auth\) needs --private/],
    [
      'SSH host without a known key',
      PRIVATE_SERVICE,
      () => ['--yes', '--private', 'git.corp.example/*', '--auth', 'ssh'],
      2,
      /auth ssh: no SSH host key for git\.corp\.example .* or pass --ssh-keyscan/,
    ],
    [
      'unknown main package',
      SIMPLE_SERVICE,
      () => ['--yes', '--main', './cmd/nope'],
      2,
      /--main \.\/cmd\/nope: not a main package of this module; choose one of \./,
    ],
    [
      'missing policy file',
      SIMPLE_SERVICE,
      () => ['--yes', '--policy', 'nope.yaml'],
      2,
      /nope\.yaml: cannot read the policy file \(ENOENT\)/,
    ],
    [
      'missing CA file',
      SIMPLE_SERVICE,
      () => ['--yes', '--ca-cert', 'missing.pem'],
      2,
      /--ca-cert .*missing\.pem: cannot read it \(ENOENT\)/,
    ],
    [
      'a proxy URL with a password: how to pass it at build time, spelled out',
      SIMPLE_SERVICE,
      () => ['--yes', '--proxy', 'http://alice:s3cret@proxy.corp.example:3128'],
      2,
      /give --proxy http:\/\/proxy\.corp\.example:3128, and pass the credentials only when building, in the full URL: docker build --build-arg HTTPS_PROXY=<that URL> \.\.\./,
    ],
    ['CA that is not PEM', { ...SIMPLE_SERVICE, 'ca.pem': 'hello' }, () => ['--yes', '--ca-cert', 'ca.pem'], 2, /not a PEM certificate/],
    [
      'CA bundled with its private key',
      { ...SIMPLE_SERVICE, 'ca.pem': `${TEST_CA}-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n` },
      () => ['--yes', '--ca-cert', 'ca.pem'],
      2,
      /contains a private key/,
    ],
    ['no go.mod: nothing to do', { 'main.go': 'package main\n' }, () => ['--yes'], 3, /no go\.mod found/],
    ['a mistyped command', SIMPLE_SERVICE, () => ['doctr'], 2, /^create-go-docker: unknown command "doctr"; did you mean "doctor"\?$/m],
    [
      'a command cut short',
      SIMPLE_SERVICE,
      () => ['regen', '--check'],
      2,
      /^create-go-docker: unknown command "regen"; did you mean "regenerate"\?$/m,
    ],
    [
      'a mistyped command after flags',
      SIMPLE_SERVICE,
      () => ['--yes', 'regenerat'],
      2,
      /unknown command "regenerat"; did you mean "regenerate"\?/,
    ],
    [
      'help for a mistyped command',
      SIMPLE_SERVICE,
      () => ['help', 'doctr'],
      2,
      /^create-go-docker: help: unknown command "doctr"; did you mean "doctor"\?$/m,
    ],
    [
      'help for no command',
      SIMPLE_SERVICE,
      () => ['help', 'deploy'],
      2,
      /help: unknown command "deploy"; the commands are generate, regenerate, doctor, help\./,
    ],
    ['-V where it is not an option', SIMPLE_SERVICE, () => ['doctor', '-V'], 2, /^create-go-docker: unknown option -V \(see --help\)\.$/m],
    ['a short option in the wrong case', SIMPLE_SERVICE, () => ['-Y'], 2, /unknown option -Y; did you mean -y\? \(see --help\)/],
    [
      'a platform that does not exist',
      SIMPLE_SERVICE,
      () => ['--yes', '--platforms', 'linux/x86'],
      2,
      /--platforms: "linux\/x86" is not a platform \("x86" is not an architecture \(386, amd64, arm64, .*; x86 is amd64 or 386\)\); use os\/arch such as linux\/amd64,linux\/arm64\./,
    ],
    [
      'a flag where a value belongs',
      SIMPLE_SERVICE,
      () => ['--region', '--dry-run'],
      2,
      /--region needs a value, and the next argument starts with "-"; if that is the value, write --region=VALUE/,
    ],
    [
      'no main package',
      { 'go.mod': 'module a\n\ngo 1.26\n', 'lib.go': 'package a\n' },
      () => ['--yes'],
      1,
      /no main package \(package main with func main\) found/,
    ],
    [
      'a Dockerfile we did not write',
      { ...SIMPLE_SERVICE, Dockerfile: 'FROM golang\n' },
      () => ['--yes'],
      1,
      /Dockerfile: exists and was not written by create-go-docker; not overwritten: move it away, or rerun with --force to replace/,
    ],
    [
      'a .dockerignore we did not write',
      { ...SIMPLE_SERVICE, '.dockerignore': 'node_modules\n' },
      () => ['--yes'],
      1,
      /\.dockerignore: exists and was not written by create-go-docker/,
    ],
    [
      'output that is a file',
      { ...SIMPLE_SERVICE, out: 'not a dir' },
      () => ['--yes', '--out', 'out'],
      2,
      /--out out: is not a directory; choose another --out/,
    ],
    [
      'a newer .go-docker.yaml',
      { ...SIMPLE_SERVICE, '.go-docker.yaml': 'schemaVersion: 9\n' },
      () => ['--yes'],
      2,
      /\.go-docker\.yaml:1: schemaVersion 9 is newer/,
    ],
    [
      'an unknown key in .go-docker.yaml',
      { ...SIMPLE_SERVICE, '.go-docker.yaml': 'schemaVersion: 1\nregion: cn\ngoproxi: x\n' },
      () => ['--yes'],
      2,
      /\.go-docker\.yaml:3: unknown key "goproxi"/,
    ],
    // Issue 19: what the wizard refuses is refused from every source, naming it to the line.
    [
      'cgo on scratch (flag)',
      CGO_SERVICE,
      () => ['--yes', '--base', 'scratch'],
      2,
      new RegExp(`^create-go-docker: base scratch \\(--base\\) ${CGO_REFUSED}; choose a runtime with a C library`),
    ],
    [
      'cgo on a static --base-image',
      CGO_SERVICE,
      () => ['--yes', '--base-image', 'registry.corp.example/base/static:1'],
      2,
      new RegExp(`base-image registry\\.corp\\.example/base/static:1 \\(--base-image\\) ${CGO_REFUSED} \\(an image named static\\)`),
    ],
    [
      'cgo on a policy base-image without libc',
      { ...CGO_SERVICE, 'policy.yaml': 'schemaVersion: 2\nbase-image: gcr.io/distroless/static-debian12:nonroot\n' },
      (dir) => ['--yes', '--policy', join(dir, 'policy.yaml')],
      2,
      new RegExp(
        `base-image gcr\\.io/distroless/static-debian12:nonroot \\(the policy .*policy\\.yaml:2: base-image\\) ` +
          `${CGO_REFUSED} \\(distroless static\\); use a policy whose base or base-image has a C library`,
      ),
    ],
    [
      'cgo on the only base a policy allows',
      { ...CGO_SERVICE, 'policy.yaml': 'schemaVersion: 2\nregion: cn\nallowed-bases: [scratch]\n' },
      (dir) => ['--yes', '--policy', join(dir, 'policy.yaml')],
      2,
      new RegExp(`base scratch \\(the policy .*policy\\.yaml:3: allowed-bases\\) ${CGO_REFUSED}`),
    ],
    [
      'cgo on scratch (.go-docker.yaml)',
      { ...CGO_SERVICE, '.go-docker.yaml': 'schemaVersion: 2\nregion: global\nbase: scratch\n' },
      () => ['--yes'],
      2,
      new RegExp(`base scratch \\(\\.go-docker\\.yaml:3: base\\) ${CGO_REFUSED}`),
    ],
    [
      '--cgo on with scratch',
      SIMPLE_SERVICE,
      () => ['--yes', '--cgo', 'on', '--base', 'scratch'],
      2,
      /base scratch \(--base\) cannot run a cgo binary \(cgo on \(--cgo\)\): it has no C library/,
    ],
  ];

  it.each(cases)('%s', async (_name, files, argv, exitCode, message) => {
    const dir = makeProject(files);
    const before = snapshotTree(dir);
    const result = await runCli(argv(dir), { cwd: dir });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^create-go-docker: /);
    expect(result.code).toBe(exitCode);
    expect(result.stdout).toBe('');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a hand-edited generated file is refused, untouched, and --force replaces it', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    expect((await runCli(['--yes'], { cwd: dir })).code).toBe(0);
    const edited = `${readFileSync(join(dir, 'Dockerfile'), 'utf8')}# my edit\n`;
    writeFileSync(join(dir, 'Dockerfile'), edited);
    const before = snapshotTree(dir);
    const refused = await runCli(['--yes', '--base', 'alpine'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Dockerfile: edited by hand since create-go-docker wrote it \(outside its custom blocks\); not overwritten: see your edits with/,
    );
    expect(refused.stderr).toContain(
      'create-go-docker regenerate --diff, move them into a custom block, or rerun with --force to replace it',
    );
    expect(snapshotTree(dir)).toEqual(before);
    const forced = await runCli(['--yes', '--base', 'alpine', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('FROM alpine:3.23 AS svc');
    // --force keeps what it replaced.
    expect(readFileSync(join(dir, 'Dockerfile.orig'), 'utf8')).toBe(edited);
  });

  it('an unwritable output directory leaves no temporary file behind', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const before = snapshotTree(dir);
    // A file where docker/ should be: daemon.json fails after the Dockerfile's temp file was written.
    writeFileSync(join(dir, 'docker'), '');
    const withFile = snapshotTree(dir);
    const result = await runCli(['--yes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/docker: is not a directory, but create-go-docker writes docker\/daemon\.json below it/);
    expect(snapshotTree(dir)).toEqual(withFile);
    expect(Object.keys(before).length + 1).toBe(Object.keys(withFile).length);
  });
});

describe('modes', () => {
  it('--dry-run prints the files and writes nothing', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const before = snapshotTree(dir);
    const result = await runCli(['--yes', '--dry-run'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- Dockerfile (would create) ---');
    expect(result.stdout).toContain('would create Dockerfile');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--json prints the same summary as JSON', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    const result = await runCli(['--json', '--private', 'git.corp.example/*', '--auth', 'token'], { cwd: dir });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      module: 'example.com/svc',
      buildCommand: 'docker build --secret id=netrc,src=$HOME/.netrc -t svc .',
      runCommand: 'docker run --rm -p 8080:8080 svc',
      files: [
        { path: 'Dockerfile', action: 'create' },
        { path: '.dockerignore', action: 'create' },
        { path: 'docker/daemon.json', action: 'create' },
        { path: '.go-docker.yaml', action: 'create' },
      ],
    });
  });

  it('[dir] and --out: build command names the Dockerfile and the context', async () => {
    const parent = makeProject({});
    const project = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes', project, '--out', join(parent, 'build')], { cwd: parent });
    expect(result.code).toBe(0);
    expect(existsSync(join(parent, 'build', 'Dockerfile'))).toBe(true);
    // BuildKit reads <Dockerfile>.dockerignore beside a Dockerfile outside the context root.
    expect(existsSync(join(parent, 'build', 'Dockerfile.dockerignore'))).toBe(true);
    expect(result.stdout).toContain(`  docker build -t svc -f build/Dockerfile ${relative(parent, project)}\n`);
    expect(existsSync(join(project, 'Dockerfile'))).toBe(false);
  });

  it('--help lists every flag with one line each; --version prints the version', async () => {
    const help = await runCli(['--help'], { cwd: '/' });
    expect(help.code).toBe(0);
    for (const flag of FLAGS) expect(help.stdout).toMatch(new RegExp(`^\\s+(-${flag.short}, )?--${flag.name}\\b.*\\S$`, 'm'));
    const packageJson = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect((await runCli(['--version'], { cwd: '/' })).stdout).toBe(`${packageJson.version}\n`);
  });
});

describe('the bundled binary, as CI runs it', () => {
  it('never prompts without a terminal, even without --yes', () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = runBin([], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('docker build -t svc .');
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(true);
  });

  it('exits 2 with one line on a usage error', () => {
    const result = runBin(['--region'], '/');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('create-go-docker: --region needs a value (see --help).\n');
  });
});

describe('the published package', () => {
  it('npm pack output runs with npx ./create-go-docker-*.tgz and has zero runtime dependencies', () => {
    const packDir = makeProject({});
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(packed.status, packed.stderr).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    // The entry, its lazily loaded chunks (one per command and heavy module), the templates.
    const paths = files.map((file) => file.path);
    expect(paths.filter((path) => !path.startsWith('dist/chunks/')).sort()).toEqual(
      [
        'LICENSE',
        'README.md',
        'dist/index.js',
        'index.js',
        'package.json',
        ...readdirSync(join(REPO_ROOT, 'templates'), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name))),
      ].sort(),
    );
    expect(paths.filter((path) => path.startsWith('dist/chunks/')).every((path) => /^dist\/chunks\/[\w-]+\.js$/.test(path))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    // The documented form: the tarball beside the project, named with ./ (npx runs an absolute path as a command).
    const project = makeProject(SIMPLE_SERVICE);
    copyFileSync(join(packDir, filename), join(project, filename));
    const run = spawnSync('npx', ['--yes', `./${filename}`, '--yes'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('docker build -t svc .');
    expect(existsSync(join(project, 'Dockerfile'))).toBe(true);
  });
});

describe('commands: help COMMAND, did you mean, -V (issue 19)', () => {
  it.each([
    [['help'], ['--help']],
    [['help', 'generate'], ['--help']],
    [
      ['help', 'regenerate'],
      ['regenerate', '--help'],
    ],
    [
      ['help', 'doctor'],
      ['doctor', '-h'],
    ],
    [['help', 'help'], ['-h']],
  ])('%j prints what %j prints', async (argv, same) => {
    const result = await runCli(argv, { cwd: makeProject({}) });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe((await runCli(same, { cwd: makeProject({}) })).stdout);
  });

  it('--help lists every command with its summary, from the table that dispatches them', async () => {
    const help = await runCli(['--help'], { cwd: '/' });
    for (const command of COMMANDS)
      expect(help.stdout).toMatch(new RegExp(`^  ${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    for (const command of COMMANDS.slice(1)) expect(help.stdout).toContain(`create-go-docker ${command.name} ${command.synopsis}`);
  });

  it('-V and -v print the version, as --version does', async () => {
    const version = (await runCli(['--version'], { cwd: '/' })).stdout;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['-V', '-v']) expect(await runCli([flag], { cwd: '/' })).toEqual({ code: 0, stdout: version, stderr: '' });
  });

  it('a directory named like a typo, or like generate, is still the project directory', async () => {
    const parent = makeProject({});
    for (const name of ['doctr', 'generate']) {
      mkdirSync(join(parent, name));
      for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(parent, name, path), content);
      const result = await runCli([name, '--yes', '--dry-run'], { cwd: parent });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`docker build -t svc ${name}`);
    }
    // Without such a directory, generate is a word like the others.
    const project = makeProject(SIMPLE_SERVICE);
    const named = await runCli(['generate', '--yes', '--dry-run'], { cwd: project });
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('docker build -t svc .');
  });
});

describe('subcommand help', () => {
  it.each([
    [
      ['regenerate', '--help'],
      ['--check', '--diff', '--force', '--recursive', '--policy SOURCE'],
    ],
    [
      ['doctor', '-h'],
      ['--json', '--offline', '--dockerfile PATH', '--daemon-json PATH', '--timeout SECONDS'],
    ],
    [['--help'], ['create-go-docker regenerate [dir]', 'create-go-docker doctor [dir]']],
  ])('%j lists every option', async (argv, expected) => {
    const result = await runCli(argv, { cwd: makeProject({}) });
    expect(result.code).toBe(0);
    for (const text of expected) expect(result.stdout).toContain(text);
  });
});
