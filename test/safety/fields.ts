// Every place a value enters create-go-docker, as a function from a value to a prepared run:
// each flag that sets an option, each key of .go-docker.yaml and of a policy, the paths we are
// given, and everything detection reads (go.mod fields, directory names, //go:embed patterns,
// the CA file). The safety corpus and the property test share this table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FLAGS } from '../../src/cli/flags.js';
import { FILE_KEYS, type OptionKey } from '../../src/options/model.js';
import { currentBoot, temporaryPath } from '../../src/write/lock.js';
import { SIMPLE_SERVICE, TEST_CA } from '../helpers.js';
import type { Run } from './oracle.js';

export interface Setup {
  files: Record<string, string>;
  argv: string[];
  /** Directory (relative) to run in and to judge; default the project root. */
  cwd?: string;
  projectDir?: string;
  outDir?: string;
  env?: Record<string, string>;
}

export interface Field {
  name: string;
  /** Builds the run's files and arguments; undefined when the value cannot exist there (a file name with "/"). */
  make: (value: string) => Setup | undefined;
  /** Valid values: each gives a baseline skeleton an accepted value may match. */
  samples: string[];
  /** A file or directory name: printing it is no leak, even when it looks like a URL with a token. */
  isPath?: boolean;
}

/** A Go string literal for go.mod (Go accepts JSON's escapes). */
function goQuote(value: string): string {
  return JSON.stringify(value);
}

const WORKER_MAIN = 'package main\n\nfunc main() {}\n';

/** Samples of valid values per option, covering the values that change the Dockerfile's shape. */
const OPTION_SAMPLES: Record<OptionKey, string[]> = {
  region: ['global', 'cn', 'custom'],
  goProxy: ['https://goproxy.cn,direct'],
  goSumDb: ['sum.golang.google.cn', 'off', 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 https://sum.golang.org'],
  // The second matches the service's dependency: credentials are mounted only where a module needs them.
  privatePatterns: ['git.corp.example/*', 'github.com/google/*'],
  auth: ['none', 'ssh', 'token'],
  sshKeyscan: ['true', 'false'],
  base: ['distroless', 'alpine', 'scratch', 'debian'],
  baseImage: ['registry.example.com/team/runtime:1.2'],
  registry: ['harbor.example.com/proxy'],
  goVersion: ['1.26'],
  mainPackage: ['.'],
  port: ['8080'],
  tags: ['netgo,osusergo'],
  // '': no default arguments, so no CMD (what a blank --args means too).
  args: ['serve --http=0.0.0.0:8090', ''],
  bundle: ['true', 'false'],
  cgo: ['auto', 'on', 'off'],
  caCert: ['ca.pem'],
  platforms: ['linux/amd64,linux/arm64'],
  dns: ['223.5.5.5'],
  registryMirrors: ['https://docker.m.daocloud.io', 'https://mirror.corp.example,https://docker.1ms.run'],
  proxy: ['http://proxy.corp.example:3128'],
  daemonJson: ['true', 'false'],
  compose: ['true', 'false'],
  ci: ['github', 'gitlab', 'none'],
  ciCache: ['registry', 'gha'],
  ciRegistry: ['harbor.example.com/team'],
  ciRollout: ['acme/platform:policies/go-docker.yaml', 'https://policy.acme.example/go-docker.yaml'],
  pins: [`golang:1.26-bookworm@sha256:${'0123456789abcdef'.repeat(4)}`],
  renovate: ['true', 'false'],
};

/** Values an option needs beside it to be valid (custom needs a GOPROXY; auth needs patterns), by file key = flag name. */
const COMPANIONS: Partial<Record<OptionKey, Record<string, string>>> = {
  region: { goproxy: 'https://athens.corp.example,direct' },
  auth: { private: 'git.corp.example/*' },
  cgo: { base: 'debian' },
  ciCache: { ci: 'github' },
  ciRegistry: { ci: 'github' },
  ciRollout: { ci: 'github' },
};

function companionFlags(key: OptionKey): string[] {
  return Object.entries(COMPANIONS[key] ?? {}).flatMap(([name, value]) => [`--${name}`, value]);
}

function withCa(files: Record<string, string>): Record<string, string> {
  return { ...files, 'ca.pem': TEST_CA };
}

function flagFields(): Field[] {
  return FLAGS.filter((flag) => flag.option !== undefined && flag.value !== undefined).map((flag) => {
    const key = flag.option!;
    return {
      name: `--${flag.name}`,
      samples: OPTION_SAMPLES[key],
      isPath: key === 'caCert',
      make: (value) => ({ files: withCa(SIMPLE_SERVICE), argv: ['--yes', ...companionFlags(key), `--${flag.name}`, value] }),
    };
  });
}

function fileFields(kind: 'answers' | 'policy'): Field[] {
  // A policy cannot set args (each project's own): that refusal is in the corpus, not a field.
  const keys = (Object.entries(FILE_KEYS) as [OptionKey, string][]).filter(([key]) => kind === 'answers' || key !== 'args');
  return keys.map(([key, fileKey]) => ({
    name: `${kind === 'answers' ? '.go-docker.yaml' : 'policy'} ${fileKey}`,
    samples: OPTION_SAMPLES[key],
    isPath: key === 'caCert',
    make: (value) => {
      const document = stringify({ schemaVersion: '2', ...COMPANIONS[key], [fileKey]: value }, { lineWidth: 0 });
      return kind === 'answers'
        ? { files: withCa({ ...SIMPLE_SERVICE, '.go-docker.yaml': document }), argv: ['--yes'] }
        : { files: withCa({ ...SIMPLE_SERVICE, 'policy.yaml': document }), argv: ['--yes', '--policy', 'policy.yaml'] };
    },
  }));
}

const GO_MOD = (lines: string[]) => `${lines.join('\n')}\n\nrequire github.com/google/uuid v1.6.0\n`;

function projectFields(): Field[] {
  return [
    {
      name: 'go.mod module',
      samples: ['example.com/svc'],
      make: (value) => ({ files: { ...SIMPLE_SERVICE, 'go.mod': GO_MOD([`module ${goQuote(value)}`, '', 'go 1.26']) }, argv: ['--yes'] }),
    },
    {
      name: 'go.mod go',
      samples: ['1.26'],
      make: (value) => ({
        files: { ...SIMPLE_SERVICE, 'go.mod': GO_MOD(['module example.com/svc', '', `go ${goQuote(value)}`]) },
        argv: ['--yes'],
      }),
    },
    {
      name: 'go.mod toolchain',
      samples: ['go1.26.2'],
      make: (value) => ({
        files: { ...SIMPLE_SERVICE, 'go.mod': GO_MOD(['module example.com/svc', '', 'go 1.26', '', `toolchain ${goQuote(value)}`]) },
        argv: ['--yes'],
      }),
    },
    {
      name: 'go.mod replace directory',
      // "." is the module itself: no extra go.mod to mount.
      samples: ['lib', '.'],
      make: (value) => ({
        files: {
          ...SIMPLE_SERVICE,
          'go.mod': GO_MOD(['module example.com/svc', '', 'go 1.26', '', `replace example.com/lib => ${goQuote(`./${value}`)}`]),
        },
        argv: ['--yes'],
      }),
    },
    {
      name: 'go.mod require (with an ssh-auth glob)',
      samples: ['git.corp.example/team/lib'],
      make: (value) => ({
        files: {
          ...SIMPLE_SERVICE,
          'go.mod': `module example.com/svc\n\ngo 1.26\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\t${goQuote(value)} v1.0.0\n)\n`,
        },
        // --ssh-keyscan: any host the value names is scanned in a RUN line (no key file needed).
        argv: ['--yes', '--private', '*.corp.example,git.*', '--auth', 'ssh', '--ssh-keyscan'],
      }),
    },
    {
      name: 'main package directory name',
      isPath: true,
      samples: ['worker', 'My-Tool', '2fa'],
      make: (value) =>
        /[/\0]/.test(value) || value === '.' || value === '..' || Buffer.byteLength(value) > 200
          ? undefined
          : { files: { ...SIMPLE_SERVICE, [`cmd/${value}/main.go`]: WORKER_MAIN }, argv: ['--yes'] },
    },
    {
      name: '//go:embed pattern',
      samples: ['static/*'],
      make: (value) => ({
        files: {
          ...SIMPLE_SERVICE,
          'static/a.txt': 'a',
          'assets.go': `package main\n\nimport "embed"\n\n//go:embed ${value}\nvar assets embed.FS\n`,
        },
        argv: ['--yes'],
      }),
    },
    {
      name: '--ca-cert file content',
      samples: [TEST_CA],
      make: (value) => ({ files: { ...SIMPLE_SERVICE, 'ca.pem': value }, argv: ['--yes', '--ca-cert', 'ca.pem'] }),
    },
    {
      name: '--ca-cert file name',
      isPath: true,
      samples: ['corp-root.pem'],
      make: (value) =>
        /[/\0]/.test(value) || value === '.' || value === '..' || Buffer.byteLength(value) > 200
          ? undefined
          : { files: { ...SIMPLE_SERVICE, [value]: TEST_CA }, argv: ['--yes', '--ca-cert', value] },
    },
    {
      name: '--out directory',
      isPath: true,
      samples: ['deploy'],
      make: (value) =>
        value.includes('\0') || Buffer.byteLength(value) > 200 || /(^|\/)\.\.?(\/|$)/.test(value) || value.startsWith('/')
          ? undefined
          : { files: SIMPLE_SERVICE, argv: ['--yes', '--out', value], outDir: value },
    },
    {
      name: 'project directory name',
      isPath: true,
      samples: ['svc'],
      make: (value) =>
        /[/\0]/.test(value) || value === '.' || value === '..' || Buffer.byteLength(value) > 200
          ? undefined
          : {
              files: Object.fromEntries(Object.entries(SIMPLE_SERVICE).map(([path, text]) => [`${value}/${path}`, text])),
              argv: [value, '--yes'],
              projectDir: value,
            },
    },
    {
      // The build context as compose.yaml and the CI files name it from --out: "../<name>".
      name: 'project directory name, with --out, CI files and compose.yaml',
      isPath: true,
      samples: ['svc'],
      make: (value) =>
        /[/\0]/.test(value) || value === '.' || value === '..' || value === 'deploy' || Buffer.byteLength(value) > 200
          ? undefined
          : {
              files: Object.fromEntries(Object.entries(SIMPLE_SERVICE).map(([path, text]) => [`${value}/${path}`, text])),
              argv: [value, '--yes', '--out', 'deploy', '--ci', 'gitlab', '--compose'],
              projectDir: value,
              outDir: '../deploy',
            },
    },
  ];
}

/** A pid that is gone, for a lock of a dead run of this machine. */
const DEAD_PID = spawnSync('true').pid;
const deadRun = { pid: DEAD_PID, host: hostname(), boot: currentBoot() };

/** Our own files as a checkout could bring them: a lock's fields, a journal's text and its rename targets. */
function ownFileFields(): Field[] {
  return [
    {
      name: '.go-docker.lock host (a dead run of this boot otherwise)',
      samples: [hostname()],
      make: (value) => ({
        files: { ...SIMPLE_SERVICE, '.go-docker.lock': JSON.stringify({ ...deadRun, host: value, started: 'then' }) },
        argv: ['--yes'],
      }),
    },
    {
      name: '.go-docker.journal text (beside a dead lock of this boot)',
      samples: [JSON.stringify({ ...deadRun, renames: [] })],
      make: (value) => ({
        files: { ...SIMPLE_SERVICE, '.go-docker.lock': JSON.stringify({ ...deadRun, started: 'then' }), '.go-docker.journal': value },
        argv: ['--yes'],
      }),
    },
    {
      name: '.go-docker.journal rename target (beside a dead lock of this boot)',
      samples: ['Dockerfile', 'docker/daemon.json'],
      make: (value) => ({
        files: {
          ...SIMPLE_SERVICE,
          '.go-docker.lock': JSON.stringify({ ...deadRun, started: 'then' }),
          '.go-docker.journal': JSON.stringify({ ...deadRun, renames: [[temporaryPath(value), value]] }),
        },
        argv: ['--yes'],
      }),
    },
  ];
}

export const FIELDS: Field[] = [...flagFields(), ...fileFields('answers'), ...fileFields('policy'), ...projectFields(), ...ownFileFields()];

/** Writes a setup into a new directory and returns the run the oracle judges (skeletons added by the caller). */
export function prepare(setup: Setup): Omit<Run, 'skeletons' | 'secrets'> {
  const root = mkdtempSync(join(tmpdir(), 'cgd-safety-'));
  for (const [path, content] of Object.entries(setup.files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const dir = join(root, setup.projectDir ?? '.');
  return {
    dir,
    cwd: join(root, setup.cwd ?? '.'),
    argv: setup.argv,
    ...(setup.env ? { env: setup.env } : {}),
    ...(setup.outDir ? { outDir: join(dir, setup.outDir) } : {}),
  };
}
