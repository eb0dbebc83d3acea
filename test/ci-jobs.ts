// The generated CI drift job, run the way a runner would: its commands and environment read from
// the rendered GitHub workflow or GitLab file, run with bash in a checkout, npx fetching
// create-go-docker from a registry (a local one serving this build, see policy-servers.ts).
// Shared by the drift-job tests and the fleet (test/e2e/fleet.e2e.test.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export type Ci = 'github' | 'gitlab';

/** What the CI provides besides the checkout: secrets (GitHub) or CI/CD variables, a File variable as a path (GitLab). */
export interface CiSettings {
  secrets?: Record<string, string>;
  fileVariables?: Record<string, string>;
}

/** Where the job's npx finds create-go-docker, and the npm cache it installs it into once. */
export interface JobRunner {
  registryUrl: string;
  npmCache: string;
}

/** The drift job's commands and environment as the rendered file states them. */
function driftJob(checkout: string, ci: Ci, settings: CiSettings, scratch: string): { script: string; env: Record<string, string> } {
  if (ci === 'github') {
    const flow = parse(readFileSync(join(checkout, '.github/workflows/docker.yml'), 'utf8')) as {
      jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }>;
    };
    const step = flow.jobs.drift!.steps.at(-1)!;
    // The expressions the step uses: secrets (empty when not set, as on GitHub).
    const evaluate = (value: string) =>
      value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_match, expression: string) => {
        const secret = /^secrets\.([A-Z_]+)$/.exec(expression);
        if (!secret) throw new Error(`the drift step uses an expression this test does not evaluate: ${expression}`);
        return settings.secrets?.[secret[1]!] ?? '';
      });
    return {
      script: step.run!,
      env: { RUNNER_TEMP: scratch, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, evaluate(value)])) },
    };
  }
  const pipeline = parse(readFileSync(join(checkout, '.gitlab-ci.yml'), 'utf8')) as Record<
    string,
    { script: string[]; variables?: Record<string, string> }
  >;
  const job = pipeline['docker-files-drift']!;
  // A File variable is a path to a file holding its value.
  const files = Object.fromEntries(
    Object.entries(settings.fileVariables ?? {}).map(([name, value]) => {
      const path = join(scratch, `${name}.file`);
      writeFileSync(path, value);
      return [name, path];
    }),
  );
  return { script: job.script.join('\n'), env: { ...(job.variables ?? {}), ...files } };
}

/** Runs the job's script with bash, asynchronously: the registry and the policy server may answer from this process. */
export function runDriftJob(runner: JobRunner, checkout: string, ci: Ci, settings: CiSettings): Promise<{ code: number; output: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'cgd-job-'));
  const { script, env } = driftJob(checkout, ci, settings, scratch);
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-eo', 'pipefail', '-c', script],
      {
        cwd: checkout,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: join(scratch, 'home'),
          // The runner's npm, pointed at the local registry; the user cache in the job's home.
          npm_config_registry: runner.registryUrl,
          npm_config_cache: runner.npmCache,
          npm_config_update_notifier: 'false',
          XDG_CACHE_HOME: join(scratch, 'cache'),
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}
