// --compose: compose.yaml builds each serving image as docker build does and runs it with its
// port; it is recorded, managed (hash, custom blocks) and regenerated like the other files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject, PRIVATE_SERVICE, REPO_ROOT, runCli, SIMPLE_SERVICE, snapshotTree, sshHome } from './helpers.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

interface ComposeFile {
  services: Record<
    string,
    {
      build: { context: string; dockerfile: string; target: string; args?: Record<string, string>; secrets?: string[]; ssh?: string[] };
      image: string;
      ports?: string[];
      restart: string;
      healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
    }
  >;
  secrets?: Record<string, { file: string }>;
}

async function withCompose(
  flags: string[],
  files: Record<string, string> = SIMPLE_SERVICE,
): Promise<{ dir: string; compose: ComposeFile; text: string; stdout: string }> {
  const dir = makeProject(files);
  const result = await runCli(['--yes', '--compose', ...flags], { cwd: dir, env: { HOME: sshHome() } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const text = read(dir, flags.includes('--out') ? join(flags[flags.indexOf('--out') + 1]!, 'compose.yaml') : 'compose.yaml');
  return { dir, compose: parse(text) as ComposeFile, text, stdout: result.stdout };
}

describe('--compose', () => {
  it('builds the service as docker build does and runs it with its port and a restart policy', async () => {
    const { dir, compose, stdout } = await withCompose([]);
    expect(compose).toEqual({
      services: {
        svc: {
          build: { context: '.', dockerfile: 'Dockerfile', target: 'svc' },
          image: 'svc',
          ports: ['8080:8080'],
          restart: 'unless-stopped',
        },
      },
    });
    expect(stdout).toContain('Run:\n  docker run --rm -p 8080:8080 svc\n  docker compose up --build\n');
    expect(read(dir, '.go-docker.yaml')).toMatch(/^compose: true$/m);
  });

  it('the token as a build secret from ~/.netrc, the proxy as build args, never in an image', async () => {
    const { compose } = await withCompose(
      [
        '--private',
        'git.corp.example',
        '--auth',
        'token',
        '--region',
        'custom',
        '--goproxy',
        'https://athens.corp.example',
        '--proxy',
        'http://proxy.corp.example:3128',
      ],
      PRIVATE_SERVICE,
    );
    expect(compose.services.svc!.build.secrets).toEqual(['netrc']);
    expect(compose.secrets).toEqual({ netrc: { file: '${HOME}/.netrc' } });
    expect(compose.services.svc!.build.args).toEqual({
      HTTP_PROXY: 'http://proxy.corp.example:3128',
      HTTPS_PROXY: 'http://proxy.corp.example:3128',
      NO_PROXY: 'localhost,127.0.0.1,::1,athens.corp.example,git.corp.example',
    });
  });

  it('SSH auth forwards the agent', async () => {
    const { compose } = await withCompose(['--private', 'git.corp.example', '--auth', 'ssh'], PRIVATE_SERVICE);
    expect(compose.services.svc!.build.ssh).toEqual(['default']);
    expect(compose.secrets).toBeUndefined();
  });

  it('one service per image that serves; tools without a port are left out', async () => {
    const { compose } = await withCompose([], {
      'go.mod': 'module example.com/shop\n\ngo 1.26\n',
      'cmd/api/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      'cmd/admin/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":9090", nil) }\n',
      'cmd/migrate/main.go': 'package main\nfunc main() {}\n',
    });
    expect(Object.keys(compose.services).sort()).toEqual(['admin', 'api']);
    expect(compose.services.admin!.ports).toEqual(['9090:9090']);
    expect(compose.services.admin!.build.target).toBe('admin');
  });

  it('a service with more than one default listener: every port in compose, EXPOSE and the docker run line (livego)', async () => {
    const { dir, compose, stdout } = await withCompose([], {
      'go.mod': 'module example.com/live\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport (\n\t"flag"\n\t"net"\n)\n\nfunc main() {\n' +
        '\trtmp := flag.String("rtmp_addr", ":1935", "RTMP server listen address")\n' +
        '\thls := flag.String("hls_addr", ":7002", "HLS server listen address")\n\tflag.Parse()\n' +
        '\tnet.Listen("tcp", *rtmp)\n\tnet.Listen("tcp", *hls)\n}\n',
    });
    expect(compose.services.live!.ports).toEqual(['1935:1935', '7002:7002']);
    expect(read(dir, 'Dockerfile')).toContain('\nEXPOSE 1935 7002\n');
    expect(stdout).toContain('docker run --rm -p 1935:1935 -p 7002:7002 live');
  });

  it('with --out: context and Dockerfile paths from where compose.yaml is, and the command says -f', async () => {
    const { compose, stdout } = await withCompose(['--out', 'deploy']);
    expect(compose.services.svc!.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile', target: 'svc' });
    expect(stdout).toContain('  docker compose -f deploy/compose.yaml up --build\n');
  });

  it('with --out, a path Compose would interpolate ($) or a shell would split is refused, nothing written', async () => {
    const dir = makeProject(SIMPLE_SERVICE);
    const before = snapshotTree(dir);
    const result = await runCli(['--yes', '--compose', '--out', 'deploy ${HOME}'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'create-go-docker: the Dockerfile seen from the project directory, "deploy ${HOME}/Dockerfile", cannot be written ' +
        'into compose.yaml safely ("deploy ${HOME}" has characters other than letters, digits and . _ + ~ @ -); rename the ' +
        'directory, or write the files into the project (no --out).\n',
    );
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('is managed: lines in its custom blocks survive regenerate, a hand edit elsewhere is refused', async () => {
    const { dir } = await withCompose([]);
    const withBlock = read(dir, 'compose.yaml').replace(
      '# custom:end service-svc',
      '    environment:\n      - LOG_LEVEL=debug\n# custom:end service-svc',
    );
    writeFileSync(join(dir, 'compose.yaml'), withBlock);
    const regenerated = await runCli(['regenerate'], { cwd: dir });
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const compose = parse(read(dir, 'compose.yaml')) as ComposeFile & { services: { svc: { environment: string[] } } };
    expect(compose.services.svc.environment).toEqual(['LOG_LEVEL=debug']);
    expect((await runCli(['regenerate', '--check'], { cwd: dir })).code).toBe(0);

    writeFileSync(join(dir, 'compose.yaml'), read(dir, 'compose.yaml').replace('unless-stopped', 'always'));
    const refused = await runCli(['regenerate'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('compose.yaml: edited by hand');
  });
});

describe('healthcheck: only where the binary offers a probe of its own', () => {
  const SELFCHECK = join(REPO_ROOT, 'test', 'fixtures', 'selfcheck');
  const selfcheck = Object.fromEntries(readdirSync(SELFCHECK).map((name) => [name, read(SELFCHECK, name)]));
  const entrypointOf = (dockerfile: string): string[] => JSON.parse(/^ENTRYPOINT (.*)$/m.exec(dockerfile)![1]!) as string[];

  it('a healthcheck subcommand (test/fixtures/selfcheck): the ENTRYPOINT binary runs it, exec form, fixed timings', async () => {
    const { dir, compose, text, stdout } = await withCompose([], selfcheck);
    const healthcheck = compose.services.selfcheck!.healthcheck!;
    expect(healthcheck).toEqual({
      test: ['CMD', '/usr/local/bin/selfcheck', 'healthcheck'],
      interval: '30s',
      timeout: '5s',
      retries: 3,
      start_period: '10s',
    });
    const dockerfile = read(dir, 'Dockerfile');
    expect(healthcheck.test[1]).toBe(entrypointOf(dockerfile)[0]);
    // Compose only: Kubernetes ignores a Dockerfile HEALTHCHECK.
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    expect(stdout).toContain(
      "compose.yaml: selfcheck's healthcheck runs /usr/local/bin/selfcheck healthcheck (first argument compared, main.go:19).",
    );
    expect(text).toMatchSnapshot();
  });

  it('a --health flag; in a project of several images, only the image that offers it gets one', async () => {
    const { compose } = await withCompose([], {
      'go.mod': 'module example.com/shop\n\ngo 1.26\n',
      'cmd/api/main.go':
        'package main\n\nimport (\n\t"flag"\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n' +
        '\thealth := flag.Bool("health", false, "probe the running server and exit")\n\tflag.Parse()\n' +
        '\tif *health {\n\t\tos.Exit(0)\n\t}\n\thttp.ListenAndServe(":8080", nil)\n}\n',
      'cmd/admin/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":9090", nil) }\n',
    });
    expect(compose.services.api!.healthcheck!.test).toEqual(['CMD', '/usr/local/bin/api', '--health']);
    expect(compose.services.admin!.healthcheck).toBeUndefined();
  });

  it('an HTTP health route is no probe: no healthcheck, and a note says why', async () => {
    const { compose, stdout } = await withCompose([], {
      'go.mod': 'module example.com/svc\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport "net/http"\n\nfunc main() {\n' +
        '\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})\n' +
        '\thttp.ListenAndServe(":8080", nil)\n}\n',
    });
    expect(compose.services.svc!.healthcheck).toBeUndefined();
    expect(stdout).toContain(
      'compose.yaml: no healthcheck for svc: it serves /healthz (main.go:6), but nothing in its runtime image can request ' +
        'it; a healthcheck subcommand or --health flag that requests it and exits 0 or 1 would give it one.',
    );
  });
});
