import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PromptApi } from '../src/wizard/wizard.js';
import { BIN, makeProject, runCli, SIMPLE_SERVICE, snapshotTree, TEST_CA, sshHome } from './helpers.js';

/** A service that needs cgo (a file imports "C"). */
const CGO_SERVICE = { ...SIMPLE_SERVICE, 'sqlite.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n' };

const PRIVATE_SERVICE = {
  ...SIMPLE_SERVICE,
  'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgit.corp.example/team/auth v1.2.0\n)\n',
};

/** Answers prompts from a script and records every question asked. */
function scriptedPrompts(answers: Record<string, string>): { prompts: PromptApi; asked: string[]; defaults: Record<string, unknown> } {
  const asked: string[] = [];
  const defaults: Record<string, unknown> = {};
  const answer = (message: string, fallback: unknown): string => {
    asked.push(message);
    defaults[message] = fallback;
    const key = Object.keys(answers).find((prefix) => message.startsWith(prefix));
    if (key !== undefined) return answers[key]!;
    // Defaults are choice values and texts: strings, numbers or switches.
    return ['string', 'number', 'boolean'].includes(typeof fallback) ? String(fallback) : '';
  };
  const prompts: PromptApi = {
    select: async (config) => answer(config.message, config.default) as never,
    input: async (config) => {
      const value = answer(config.message, config.default);
      const verdict = config.validate?.(value);
      if (verdict !== undefined && verdict !== true) throw new Error(`validation refused ${value}: ${String(verdict)}`);
      return value;
    },
  };
  return { prompts, asked, defaults };
}

describe('wizard question table', () => {
  it('asks what flags did not decide, pre-filled with detected values', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    const { prompts, asked, defaults } = scriptedPrompts({ 'Runtime base image': 'debian' });
    const result = await runCli(['--region', 'cn'], { cwd: dir, interactive: true, prompts });
    expect(result.code).toBe(0);
    expect(asked).toEqual([
      'HTTP(S) proxy the build machine needs to reach the internet (a company proxy; not the module proxy; empty for none):',
      'Private module paths (GOPRIVATE globs, comma-separated; empty for none):',
      'How does the build authenticate to your private git server?',
      'Runtime base image:',
      'Port the service listens on (empty for none):',
      'Where does CI build the image?',
      'Write the files with these answers?',
    ]);
    expect(defaults['Private module paths (GOPRIVATE globs, comma-separated; empty for none):']).toBe('git.corp.example');
    expect(defaults['Port the service listens on (empty for none):']).toBe('8080');
    const answers = readFileSync(join(dir, '.go-docker.yaml'), 'utf8');
    expect(answers).toMatch(/^region: cn$/m);
    expect(answers).toMatch(/^base: debian$/m);
    expect(answers).toMatch(/^auth: token$/m);
    // The accepted detected port stays detected, not pinned.
    expect(answers).not.toMatch(/^port:/m);
  });

  it('the HTTP proxy is its own answer in any region; a proxy asks for the CA, whose path may start with ~', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const home = makeProject({ 'corp.pem': TEST_CA });
    const { prompts, asked } = scriptedPrompts({
      'Where do': 'global',
      'HTTP(S) proxy': 'http://proxy.corp.example:3128',
      'Corporate root CA': '~/corp.pem',
    });
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      const result = await runCli([], { cwd: dir, interactive: true, prompts });
      expect(result.code, result.stderr).toBe(0);
    } finally {
      process.env.HOME = savedHome;
    }
    expect(asked.map((message) => message.split(' ')[0])).toEqual([
      'Where',
      'HTTP(S)',
      'Corporate',
      'Private',
      'Runtime',
      'Port',
      'Where',
      'Write',
    ]);
    expect(readFileSync(join(dir, 'docker/http-proxy.conf'), 'utf8')).toContain('Environment="HTTP_PROXY=http://proxy.corp.example:3128"');
    expect(readFileSync(join(dir, 'docker/ca-certificates/corp.crt'), 'utf8')).toBe(TEST_CA);
    expect(readFileSync(join(dir, '.go-docker.yaml'), 'utf8')).toMatch(/^proxy: http:\/\/proxy\.corp\.example:3128$/m);
  });

  it('skips what the policy fixes and offers only the bases it allows', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'schemaVersion: 2\nregion: cn\nallowed-bases: [scratch, distroless]\n');
    let baseChoices: string[] = [];
    const { prompts, asked } = scriptedPrompts({ 'Runtime base image': 'scratch' });
    const select = prompts.select.bind(prompts);
    prompts.select = (config) => {
      if (config.message.startsWith('Runtime base image')) baseChoices = config.choices.map((choice) => choice.value);
      return select(config);
    };
    const result = await runCli(['--policy', policy], { cwd: dir, interactive: true, prompts });
    expect(result.code, result.stderr).toBe(0);
    expect(asked).not.toContain('Where do your builds run?');
    expect(baseChoices).toEqual(['distroless', 'scratch']);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('FROM scratch AS svc');
  });

  it('asks for the company GOPROXY only for region custom, and for the main package only when there are several', async () => {
    const dir = makeProject({
      'go.mod': 'module example.com/shop\n\ngo 1.26\n',
      'cmd/api/main.go': 'package main\nfunc main() { _ = ":8080" }\n',
      'cmd/worker/main.go': 'package main\nfunc main() { _ = ":9100" }\n',
    });
    const { prompts, asked, defaults } = scriptedPrompts({
      'Where do': 'custom',
      "Your company's Go module proxy": 'https://athens.corp.example,direct',
      'Several main packages': './cmd/worker',
    });
    const result = await runCli(['--base', 'scratch'], { cwd: dir, interactive: true, prompts });
    expect(result.code).toBe(0);
    expect(asked.map((message) => message.split(' ')[0])).toEqual([
      'Where',
      'Your',
      'HTTP(S)',
      'Corporate',
      'Private',
      'Several',
      'Port',
      'Where',
      'Write',
    ]);
    // The port question follows the chosen package.
    expect(defaults['Port the service listens on (empty for none):']).toBe('9100');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('ARG GOPROXY=https://athens.corp.example,direct');
  });

  it('offers the main packages in ranking order, the server first and the example last, marked', async () => {
    const dir = makeProject({
      'go.mod': 'module example.com/shop\n\ngo 1.26\n',
      'cmd/admin/main.go': 'package main\nfunc main() {}\n',
      'cmd/shopd/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      'examples/hello/main.go': 'package main\nfunc main() {}\n',
    });
    let choices: { value: string; description?: string }[] = [];
    const { prompts, defaults } = scriptedPrompts({});
    const select = prompts.select.bind(prompts);
    prompts.select = (config) => {
      if (config.message.startsWith('Several main packages')) choices = config.choices;
      return select(config);
    };
    const result = await runCli(['--base', 'scratch', '--region', 'global'], { cwd: dir, interactive: true, prompts });
    expect(result.code, result.stderr).toBe(0);
    expect(choices.map((choice) => choice.value)).toEqual(['./cmd/shopd', './cmd/admin', './examples/hello']);
    expect(choices[0]!.description).toBe('cmd/<name>, serves, listens on 8080, named like a server (shopd)');
    expect(choices[2]!.description).toBe('an example: no image unless chosen');
    expect(defaults['Several main packages: which one is the default image? (each gets a --target stage)']).toBe('./cmd/shopd');
    // Accepting the ranking's choice keeps it a detection: nothing pinned in .go-docker.yaml.
    expect(readFileSync(join(dir, '.go-docker.yaml'), 'utf8')).not.toMatch(/^main:/m);
  });

  it('mainland China with distroless chosen asks for the registry that mirrors gcr.io first', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { prompts, asked } = scriptedPrompts({ 'Runtime base image': 'distroless', 'gcr.io is blocked': 'harbor.example.cn/proxy' });
    const result = await runCli(['--region', 'cn'], { cwd: dir, interactive: true, prompts });
    expect(result.code, result.stderr).toBe(0);
    expect(asked).toContain(
      'gcr.io is blocked in mainland China: the registry that mirrors it and Docker Hub (e.g. harbor.example.cn/proxy):',
    );
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(
      'FROM harbor.example.cn/proxy/gcr.io/distroless/static-debian12:nonroot AS svc',
    );
    expect(result.stdout).not.toContain('Warnings:');
  });

  it('asks nothing with --yes, even on a terminal', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { prompts, asked } = scriptedPrompts({});
    expect((await runCli(['--yes'], { cwd: dir, interactive: true, prompts })).code).toBe(0);
    expect(asked).toEqual([]);
  });
});

describe('one set of defaults and one check (issue 19)', () => {
  /** Records the choices each select offers. */
  function recordingChoices(answers: Record<string, string>): ReturnType<typeof scriptedPrompts> & { choices: Record<string, string[]> } {
    const scripted = scriptedPrompts(answers);
    const choices: Record<string, string[]> = {};
    const select = scripted.prompts.select.bind(scripted.prompts);
    scripted.prompts.select = (config) => {
      choices[config.message] = config.choices.map((choice) => choice.value);
      return select(config);
    };
    return { ...scripted, choices };
  }

  it('Enter on every question writes what --yes writes, byte for byte, and what a run without a terminal writes', async () => {
    for (const region of ['global', 'cn']) {
      const wizardDir = makeProject(PRIVATE_SERVICE);
      const yesDir = makeProject(PRIVATE_SERVICE);
      const pipedDir = makeProject(PRIVATE_SERVICE);
      const { prompts } = scriptedPrompts({});
      expect((await runCli(['--region', region], { cwd: wizardDir, interactive: true, prompts })).code).toBe(0);
      expect((await runCli(['--yes', '--region', region], { cwd: yesDir })).code).toBe(0);
      expect((await runCli(['--region', region], { cwd: pipedDir })).code).toBe(0);
      const dockerfile = readFileSync(join(wizardDir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^ARG GOPRIVATE=git\.corp\.example$/m);
      expect(dockerfile).toContain('--mount=type=secret,id=netrc');
      expect(readFileSync(join(yesDir, 'Dockerfile'), 'utf8'), region).toBe(dockerfile);
      expect(readFileSync(join(pipedDir, 'Dockerfile'), 'utf8'), region).toBe(dockerfile);
    }
  });

  it('never offers a base the check after the review would refuse: no scratch for a cgo project', async () => {
    const dir = makeProject(CGO_SERVICE);
    const { prompts, choices, asked } = recordingChoices({});
    const result = await runCli(['--region', 'cn'], { cwd: dir, interactive: true, prompts });
    expect(result.code, result.stderr).toBe(0);
    expect(choices['Runtime base image:']).toEqual(['distroless', 'alpine', 'debian']);
    expect(asked).toContain('Write the files with these answers?');
    // The offered default is the region's libc base, as --yes takes it.
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('FROM debian:bookworm-slim AS svc');
  });

  it('filters the bases a policy allows by the same check, and pre-selects one that fits', async () => {
    const dir = makeProject(CGO_SERVICE);
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'schemaVersion: 2\nregion: cn\nallowed-bases: [scratch, distroless]\n');
    const { prompts, choices, defaults } = recordingChoices({ 'gcr.io is blocked': 'harbor.example.cn/proxy' });
    const result = await runCli(['--policy', policy], { cwd: dir, interactive: true, prompts });
    expect(result.code, result.stderr).toBe(0);
    expect(choices['Runtime base image:']).toEqual(['distroless']);
    expect(defaults['Runtime base image:']).toBe('distroless');
  });

  it.each([
    [
      'a policy base-image without libc',
      (dir: string) => {
        writeFileSync(join(dir, 'policy.yaml'), 'schemaVersion: 2\nbase-image: registry.corp.example/base/static:1\n');
        return ['--policy', join(dir, 'policy.yaml')];
      },
      /base-image registry\.corp\.example\/base\/static:1 \(the policy .*policy\.yaml:2: base-image\) cannot run a cgo binary/,
    ],
    ['--base scratch', () => ['--base', 'scratch'], /base scratch \(--base\) cannot run a cgo binary/],
    [
      '.go-docker.yaml base: scratch',
      (dir: string) => {
        writeFileSync(join(dir, '.go-docker.yaml'), 'schemaVersion: 2\nbase: scratch\n');
        return [];
      },
      /base scratch \(\.go-docker\.yaml:2: base\) cannot run a cgo binary/,
    ],
  ])('refuses %s before the first question, with one line, writing nothing', async (_name, setUp, message) => {
    const dir = makeProject(CGO_SERVICE);
    const argv = setUp(dir);
    const before = snapshotTree(dir);
    const { prompts, asked } = scriptedPrompts({});
    const result = await runCli(argv, { cwd: dir, interactive: true, prompts });
    expect(result.code).toBe(2);
    expect(asked).toEqual([]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('names the hosts detection cannot decide in the GOPRIVATE question, as --yes names them in a warning', async () => {
    const files = {
      ...SIMPLE_SERVICE,
      'go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgo.acme.io/auth v1.2.0\n)\n',
    };
    const { prompts, asked, defaults } = scriptedPrompts({});
    expect((await runCli([], { cwd: makeProject(files), interactive: true, prompts })).code).toBe(0);
    const question = asked.find((message) => message.startsWith('Private module paths'));
    expect(question).toBe('Private module paths (GOPRIVATE globs, comma-separated; empty for none; go.acme.io may be private):');
    expect(defaults[question!]).toBe('');
    const yes = await runCli(['--yes'], { cwd: makeProject(files) });
    expect(yes.stdout).toContain(
      `  ! go.mod requires go.acme.io/auth from go.acme.io, which create-go-docker cannot tell public or private: if ` +
        `private, pass --private 'go.acme.io' (else the build asks the public proxy for it: "410 Gone").`,
    );
  });
});

/** Drives the bundled CLI in a real pseudo-terminal (util-linux `script`), answering prompts. */
function driveInTerminal(
  cwd: string,
  steps: { waitFor: string; keys: string }[],
  env: Record<string, string> = {},
): Promise<{ code: number; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', `${process.execPath} ${BIN}`, '/dev/null'], {
      cwd,
      env: { ...process.env, CREATE_GO_DOCKER_POLICY: '', NO_COLOR: '', TERM: 'xterm', COLUMNS: '160', LINES: '40', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let seen = 0;
    let step = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out waiting for "${steps[step]?.waitFor}"; screen:\n${screen}`));
    }, 20_000);
    const advance = (): void => {
      while (step < steps.length) {
        const found = screen.indexOf(steps[step]!.waitFor, seen);
        if (found < 0) return;
        seen = found + steps[step]!.waitFor.length;
        child.stdin.write(steps[step]!.keys);
        step++;
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      advance();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code: code ?? -1, screen });
    });
  });
}

const DOWN = '\u001b[B';
const UP = '\u001b[A';
const ENTER = '\r';

/** The questions a simple service (one main, no private modules) is asked, in order, with the keys for each (Enter by default). */
function simpleServiceSteps(keys: { region?: string; base?: string; review?: string } = {}): { waitFor: string; keys: string }[] {
  return [
    { waitFor: 'Where do your builds run?', keys: keys.region ?? ENTER },
    { waitFor: 'HTTP(S) proxy the build machine needs', keys: ENTER },
    { waitFor: 'Private module paths', keys: ENTER },
    { waitFor: 'Runtime base image', keys: keys.base ?? ENTER },
    { waitFor: 'Port the service listens on', keys: ENTER },
    { waitFor: 'Where does CI build the image?', keys: ENTER },
    { waitFor: 'Write the files with these answers?', keys: keys.review ?? ENTER },
  ];
}

describe('the real wizard in a terminal', () => {
  it('walks region, private modules, auth, base and port with the keyboard', async () => {
    const dir = makeProject(PRIVATE_SERVICE);
    const { code, screen } = await driveInTerminal(
      dir,
      [
        { waitFor: 'Where do your builds run?', keys: DOWN + ENTER },
        { waitFor: 'HTTP(S) proxy the build machine needs', keys: ENTER },
        { waitFor: 'Private module paths', keys: ENTER },
        { waitFor: 'How does the build authenticate', keys: DOWN + ENTER },
        // Region cn pre-selects scratch (Docker Hub only); one up is alpine.
        { waitFor: 'Runtime base image', keys: UP + ENTER },
        { waitFor: 'Port the service listens on', keys: ENTER },
        { waitFor: 'Where does CI build the image?', keys: ENTER },
        { waitFor: 'Write the files with these answers?', keys: ENTER },
      ],
      { HOME: sshHome() },
    );
    expect(code, screen).toBe(0);
    expect(screen).toContain('docker build --ssh default -t svc .');
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GOPROXY=https://goproxy.cn,direct');
    expect(dockerfile).toContain('ARG GOPRIVATE=git.corp.example');
    expect(dockerfile).toContain('--mount=type=ssh');
    expect(dockerfile).toContain('FROM alpine:3.23 AS svc');
    expect(dockerfile).toContain('EXPOSE 8080');
  });
});

/** The screen as text: colours and cursor movements dropped. */
const daemonJson = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'docker/daemon.json'), 'utf8')) as { 'registry-mirrors'?: string[]; proxies?: Record<string, string> };

// eslint-disable-next-line no-control-regex -- ESC starts the terminal sequences removed here
const plain = (screen: string): string => screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('three personas, start to finish, in a terminal', () => {
  it('a developer in mainland China: region, then Enter on everything; only Docker Hub images, mirrors to apply', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { code, screen } = await driveInTerminal(dir, simpleServiceSteps({ region: DOWN + ENTER }));
    const text = plain(screen);
    expect(code, text).toBe(0);
    // The banner comes before the first question.
    expect(text.indexOf('create-go-docker: example.com/svc')).toBeLessThan(text.indexOf('Where do your builds run?'));
    expect(text).toContain('main packages: . (port 8080)');
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GOPROXY=https://goproxy.cn,direct');
    expect(dockerfile).toContain('FROM scratch AS svc');
    expect(dockerfile).not.toContain('gcr.io');
    // distroless is still offered, with its caveat, but nothing written or printed afterwards names gcr.io.
    expect(text.slice(text.lastIndexOf('Write the files with these answers?'))).not.toContain('gcr.io');
    expect(daemonJson(dir)['registry-mirrors']).toEqual(['https://docker.m.daocloud.io']);
    // The step's wording follows this machine: docker answering, and /etc/docker/daemon.json present or not.
    expect(text).toMatch(
      /Docker daemon(: merge registry-mirrors and dns from docker\/daemon\.json| \(no \/etc\/docker\/daemon\.json yet\): sudo install| \(merges registry-mirrors and dns into your)/,
    );
    // Warnings are yellow on a terminal.
    expect(screen).toContain('\u001b[33m  ! golang:1.26-bookworm comes from Docker Hub');
  });

  it('a company with private modules behind a token: module proxy, HTTP proxy and CA as three questions, no fake defaults', async () => {
    const dir = makeProject({ ...PRIVATE_SERVICE, 'certs/corp-root.pem': TEST_CA });
    const { code, screen } = await driveInTerminal(dir, [
      { waitFor: 'Where do your builds run?', keys: DOWN + DOWN + ENTER },
      // Enter on the empty module proxy question is refused, not a placeholder written.
      { waitFor: "Your company's Go module proxy", keys: ENTER },
      { waitFor: 'required for a company network', keys: 'https://nexus.corp.example/repository/go/' + ENTER },
      { waitFor: 'HTTP(S) proxy the build machine needs', keys: 'http://proxy.corp.example:3128' + ENTER },
      { waitFor: 'Corporate root CA certificate', keys: 'certs/corp-root.pem' + ENTER },
      { waitFor: 'Private module paths', keys: ENTER },
      { waitFor: 'How does the build authenticate', keys: ENTER },
      { waitFor: 'Runtime base image', keys: ENTER },
      { waitFor: 'Port the service listens on', keys: ENTER },
      { waitFor: 'Where does CI build the image?', keys: ENTER },
      { waitFor: 'Write the files with these answers?', keys: ENTER },
    ]);
    const text = plain(screen);
    expect(code, text).toBe(0);
    expect(text).toMatch(/Go module proxy \(GOPROXY\) +https:\/\/nexus\.corp\.example\/repository\/go\//);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GOPROXY=https://nexus.corp.example/repository/go/');
    expect(dockerfile).toContain('ARG GOPRIVATE=git.corp.example');
    expect(dockerfile).toContain('--mount=type=secret,id=netrc,target=/root/.netrc,required=true');
    expect(dockerfile).toContain('COPY certs/corp-root.pem /usr/local/share/ca-certificates/corp-root.crt');
    expect(daemonJson(dir).proxies).toBeUndefined();
    // The company's module proxy is inside its network: it skips the HTTP proxy, like the git host.
    expect(readFileSync(join(dir, 'docker/http-proxy.conf'), 'utf8')).toContain(
      'Environment="HTTPS_PROXY=http://proxy.corp.example:3128"\n' +
        'Environment="NO_PROXY=localhost,127.0.0.1,::1,nexus.corp.example,git.corp.example"\n',
    );
    expect(text).toContain(
      'docker build --secret id=netrc,src=$HOME/.netrc --build-arg HTTP_PROXY=http://proxy.corp.example:3128 ' +
        '--build-arg HTTPS_PROXY=http://proxy.corp.example:3128 --build-arg NO_PROXY=localhost,127.0.0.1,::1,nexus.corp.example,' +
        'git.corp.example -t svc .',
    );
    expect(text).toContain('Token auth: ~/.netrc needs "machine git.corp.example login USER password TOKEN"');
  });

  it('someone pressing Enter on everything: the global defaults, nothing to repair', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { code, screen } = await driveInTerminal(dir, simpleServiceSteps());
    const text = plain(screen);
    expect(code, text).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GOPROXY=https://proxy.golang.org,direct');
    expect(dockerfile).toContain('FROM gcr.io/distroless/static-debian12:nonroot AS svc');
    expect(text).not.toContain('Warnings:');
    expect(text).not.toContain('daemon.json into');
    expect(text).toContain('docker build -t svc .');
  });
});

describe('the wizard before and after its questions', () => {
  it('an existing Dockerfile is settled before the first question: backed up and replaced', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, Dockerfile: 'FROM golang\n' });
    const { code, screen } = await driveInTerminal(dir, [{ waitFor: 'What now?', keys: ENTER }, ...simpleServiceSteps()]);
    const text = plain(screen);
    expect(code, text).toBe(0);
    expect(text.indexOf('Dockerfile (not written by create-go-docker) already exists in .')).toBeLessThan(
      text.indexOf('Where do your builds run?'),
    );
    expect(readFileSync(join(dir, 'Dockerfile.orig'), 'utf8')).toBe('FROM golang\n');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('# Generated by create-go-docker');
  });

  it('the Dockerfile it replaces: its module proxy, private paths, HTTP proxy and base are the answers offered', async () => {
    const old = [
      'FROM golang:1.22 AS build',
      'ARG GOPROXY=https://athens.corp.example,direct',
      'ENV GOPRIVATE=git.corp.example',
      'ENV HTTPS_PROXY=http://proxy.corp.example:3128',
      'RUN go build -o /app .',
      'FROM debian:bookworm-slim',
      'COPY --from=build /app /app',
      '',
    ].join('\n');
    const dir = makeProject({ ...PRIVATE_SERVICE, Dockerfile: old });
    const { prompts, defaults } = scriptedPrompts({ 'Dockerfile (not written': 'backup' });
    const result = await runCli([], { cwd: dir, interactive: true, prompts });
    expect(result.code, result.stderr).toBe(0);
    const offered = (prefix: string) => defaults[Object.keys(defaults).find((message) => message.startsWith(prefix))!];
    expect(offered('Where do your builds run?')).toBe('custom');
    expect(offered("Your company's Go module proxy")).toBe('https://athens.corp.example,direct');
    expect(offered('HTTP(S) proxy')).toBe('http://proxy.corp.example:3128');
    expect(offered('Private module paths')).toBe('git.corp.example');
    expect(offered('Runtime base image')).toBe('debian');
    // Taken as offered, they are answers: the old Dockerfile is gone after this run (kept as .orig).
    const answers = readFileSync(join(dir, '.go-docker.yaml'), 'utf8');
    expect(answers).toMatch(/^region: custom\ngoproxy: https:\/\/athens\.corp\.example,direct$/m);
    expect(answers).toMatch(/^base: debian$/m);
    expect(readFileSync(join(dir, 'Dockerfile.orig'), 'utf8')).toBe(old);
    expect(result.stdout).toContain(
      'Carried over from the existing Dockerfile: region custom, goproxy https://athens.corp.example,direct, private git.corp.example, ' +
        'base debian, proxy http://proxy.corp.example:3128',
    );
  });

  it('keep and stop: nothing written, exit 0', async () => {
    const dir = makeProject({ ...SIMPLE_SERVICE, Dockerfile: 'FROM golang\n' });
    const before = snapshotTree(dir);
    const { code, screen } = await driveInTerminal(dir, [{ waitFor: 'What now?', keys: DOWN + DOWN + ENTER }]);
    expect(code, plain(screen)).toBe(0);
    expect(plain(screen)).toContain('Nothing was written; your files are as they were.');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('the review changes an answer before anything is written', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { code, screen } = await driveInTerminal(dir, [
      { waitFor: 'Where do your builds run?', keys: ENTER },
      { waitFor: 'HTTP(S) proxy the build machine needs', keys: ENTER },
      { waitFor: 'Private module paths', keys: ENTER },
      { waitFor: 'Runtime base image', keys: DOWN + ENTER },
      { waitFor: 'Port the service listens on', keys: ENTER },
      { waitFor: 'Where does CI build the image?', keys: ENTER },
      { waitFor: 'Write the files with these answers?', keys: DOWN + ENTER },
      { waitFor: 'Which answer?', keys: DOWN + DOWN + DOWN + ENTER },
      { waitFor: 'Runtime base image', keys: DOWN + DOWN + ENTER },
      { waitFor: 'Write the files with these answers?', keys: ENTER },
    ]);
    const text = plain(screen);
    expect(code, text).toBe(0);
    expect(text).toMatch(/Runtime image +alpine[\s\S]*Runtime image +debian/);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('FROM debian:bookworm-slim AS svc');
  });

  it('cancel at the review: exit 130, nothing written', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { code } = await driveInTerminal(dir, simpleServiceSteps({ review: DOWN + DOWN + ENTER }));
    expect(code).toBe(130);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
  });
});

describe('a region hint from TZ or the locale: a default offered, never a silent choice', () => {
  it('the wizard pre-selects mainland China for TZ=Asia/Shanghai and says why', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const { prompts, asked, defaults } = scriptedPrompts({});
    const result = await runCli([], { cwd: dir, interactive: true, prompts, env: { TZ: 'Asia/Shanghai' } });
    expect(result.code, result.stderr).toBe(0);
    const question = asked.find((message) => message.startsWith('Where do your builds run?'))!;
    expect(question).toBe('Where do your builds run? (TZ=Asia/Shanghai suggests Mainland China (goproxy.cn, mirrors))');
    expect(defaults[question]).toBe('cn');
    expect(readFileSync(join(dir, '.go-docker.yaml'), 'utf8')).toMatch(/^region: cn$/m);
  });

  it('--yes with LANG=zh_CN.UTF-8: the region stays global and one warning names the flag', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const result = await runCli(['--yes'], { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '  ! LANG=zh_CN.UTF-8 suggests Mainland China (goproxy.cn, mirrors), but nobody chose a region, so it is global: pass ' +
        '--region cn if your builds run there.',
    );
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('ARG GOPROXY=https://proxy.golang.org,direct');
    // A region someone chose is never second-guessed; another locale says nothing.
    const chosen = await runCli(['--yes', '--region', 'global'], { cwd: makeProject(SIMPLE_SERVICE), env: { TZ: 'Asia/Shanghai' } });
    expect(chosen.stdout).not.toContain('suggests');
    const elsewhere = await runCli(['--yes'], { cwd: makeProject(SIMPLE_SERVICE), env: { TZ: 'Europe/Berlin', LANG: 'de_DE.UTF-8' } });
    expect(elsewhere.stdout).not.toContain('suggests');
  });
});
