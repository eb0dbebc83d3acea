// The judge of the safety suite: runs create-go-docker on one prepared input and says whether
// the outcome is a clear refusal, a correct result, or wrong. "Correct" means the Dockerfile has
// exactly the instruction skeleton of a baseline project (so no value became an instruction, an
// ARG or a flag), every written file is one line per line, daemon.json is JSON with keys dockerd
// knows, secrets appear nowhere, and `regenerate --check` reproduces every byte (.go-docker.yaml
// round-trips). Anything else (a crash, a hang, two lines of error, a file touched on refusal)
// is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DockerfileParser, JSONInstruction, ModifiableInstruction, PropertyInstruction } from 'dockerfile-ast';
import { main } from '../../src/cli/main.js';
import { MANAGED_PATHS } from '../../src/plan/paths.js';
import { BIN, snapshotTree } from '../helpers.js';

type Verdict = 'refused' | 'correct' | 'wrong';

export interface Judgement {
  verdict: Verdict;
  /** Why, for a report: the refusal line, or what was wrong. */
  detail: string;
}

export interface Run {
  /** The project directory (files written there are judged). */
  dir: string;
  /** Where the command runs. */
  cwd: string;
  argv: string[];
  env?: Record<string, string>;
  /** Strings that must appear in no output and no file (credentials in the input). */
  secrets: string[];
  /** Instruction skeletons an accepted result may have (from baseline projects). */
  skeletons: string[][];
  /** The case is only correct as a refusal (a link, a pipe, an injected instruction...). */
  mustRefuse?: boolean;
  /** The case is only correct when accepted (legal input that must work). */
  mustAccept?: boolean;
  /** A refusal must say this (name the input, the file and line, the fix). */
  refusal?: RegExp;
  /** Run the bundled binary in a child process (inputs that could hang the process). */
  child?: boolean;
  /** Files to check besides the project directory's (--out). */
  outDir?: string;
  /**
   * generate (default): accepted means files were written and pass every check.
   * regenerate: accepted means exit 0 (files may change); a refusal may print its summary too.
   * read-only (doctor, regenerate --check): accepted means a report on stdout and nothing changed.
   */
  mode?: 'generate' | 'regenerate' | 'read-only';
  /** A further check of an accepted result: a problem, or undefined when it is right. */
  expect?: (run: Run, stdout: string) => string | undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** The shape of a Dockerfile: keyword, flag names and the names or count of arguments. */
export function skeleton(text: string): string[] {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((instruction) => {
      const keyword = instruction.getKeyword().toUpperCase();
      const flags =
        instruction instanceof ModifiableInstruction
          ? instruction
              .getFlags()
              .map((flag) => flag.getName())
              .join(',')
          : '';
      let shape = '';
      if (instruction instanceof PropertyInstruction)
        shape = instruction
          .getProperties()
          .map((property) => property.getName())
          .join(',');
      // CMD's length is the user's (--args); JSON keeps each argument one string.
      else if (instruction instanceof JSONInstruction && instruction.getJSONStrings().length > 0)
        shape = keyword === 'CMD' ? 'json' : `json:${instruction.getJSONStrings().length}`;
      else if (keyword !== 'RUN') shape = `args:${instruction.getArguments().length}`;
      return `${keyword} [${flags}] ${shape}`;
    });
}

const DAEMON_KEYS = new Set([
  'registry-mirrors',
  'dns',
  'proxies',
  'log-driver',
  'log-opts',
  'features',
  'builder',
  'insecure-registries',
  'dns-search',
  'max-concurrent-downloads',
]);

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  crashed?: string;
}

async function runInProcess(run: Run): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(run.argv, {
      cwd: run.cwd,
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      interactive: false,
      env: run.env ?? {},
    });
    return { code, stdout, stderr };
  } catch (error) {
    return { code: -1, stdout, stderr, crashed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function runChild(run: Run): Captured {
  const result = spawnSync(process.execPath, [BIN, ...run.argv], {
    cwd: run.cwd,
    encoding: 'utf8',
    timeout: 15_000,
    env: { PATH: process.env.PATH ?? '', ...(run.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error || result.signal)
    return {
      code: -1,
      stdout: textOrEmpty(result.stdout),
      stderr: textOrEmpty(result.stderr),
      crashed: result.signal ? `killed by ${result.signal} (a hang?)` : String(result.error),
    };
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** spawnSync's output is null when the spawn itself failed, though its types say string. */
function textOrEmpty(output: string | null): string {
  return output ?? '';
}

export async function judge(run: Run): Promise<Judgement> {
  const watched = [run.dir, ...(run.outDir && run.outDir !== run.dir ? [run.outDir] : [])];
  const before = watched.map((dir) => (existsSync(dir) ? snapshotTree(dir) : {}));
  const result = run.child ? runChild(run) : await runInProcess(run);
  const output = `${result.stdout}${result.stderr}`;
  const wrong = (detail: string): Judgement => ({ verdict: 'wrong', detail });
  if (result.crashed) return wrong(`crashed: ${result.crashed}`);
  for (const secret of run.secrets) if (output.includes(secret)) return wrong(`printed the secret ${secret}`);
  const mode = run.mode ?? 'generate';
  // doctor and regenerate --check exit 1 with a report (findings, drift); that is not a refusal.
  const isReport = mode === 'read-only' && result.code === 1 && result.stdout !== '' && result.stderr === '';
  // 3: nothing to do (no Go module, no .go-docker.yaml), refused as 1 and 2 are.
  if ((result.code === 1 || result.code === 2 || result.code === 3) && !isReport) {
    const lines = result.stderr.replace(/\n$/, '').split('\n');
    if (mode !== 'regenerate' && lines.length !== 1)
      return wrong(`refused with ${lines.length} lines of error: ${JSON.stringify(result.stderr.slice(0, 300))}`);
    const bad = lines.find((line) => !line.startsWith('create-go-docker: '));
    if (bad !== undefined) return wrong(`an error line does not start with "create-go-docker: ": ${JSON.stringify(bad.slice(0, 200))}`);
    if (/internal error/.test(result.stderr)) return wrong(`internal error: ${lines[0]}`);
    if (CONTROL_EXCEPT_NEWLINE.test(result.stderr))
      return wrong(`the error line carries a raw control character: ${JSON.stringify(lines[0])}`);
    if (mode === 'generate' && result.stdout !== '')
      return wrong(`refused but printed to stdout: ${JSON.stringify(result.stdout.slice(0, 200))}`);
    const after = watched.map((dir) => (existsSync(dir) ? snapshotTree(dir) : {}));
    if (JSON.stringify(after) !== JSON.stringify(before)) return wrong('refused but changed files');
    if (run.mustAccept) return wrong(`refused a legal input: ${lines[0]}`);
    if (run.refusal && !run.refusal.test(result.stderr)) return wrong(`the refusal does not say ${run.refusal}: ${lines[0]}`);
    return { verdict: 'refused', detail: lines[0]! };
  }
  if (result.code !== 0 && !isReport) return wrong(`exit code ${result.code}: ${result.stderr.slice(0, 300)}`);
  if (run.mustRefuse) return wrong('accepted an input that must be refused');
  if (CONTROL_EXCEPT_NEWLINE.test(output)) return wrong('printed a raw control character');
  if (mode === 'read-only' || mode === 'regenerate') {
    if (result.stdout === '') return wrong(`exit ${result.code} with nothing on stdout: ${result.stderr.slice(0, 200)}`);
    const after = watched.map((dir) => (existsSync(dir) ? snapshotTree(dir) : {}));
    if (mode === 'read-only' && JSON.stringify(after) !== JSON.stringify(before)) return wrong('a read-only command changed files');
    const problem = run.expect?.(run, result.stdout);
    return problem ? wrong(problem) : { verdict: 'correct', detail: `report (exit ${result.code})` };
  }
  const outDir = run.outDir ?? run.dir;
  const dockerfilePath = join(outDir, 'Dockerfile');
  if (!existsSync(dockerfilePath)) return wrong('exit 0 but no Dockerfile');
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const shape = skeleton(dockerfile);
  if (!run.skeletons.some((allowed) => JSON.stringify(allowed) === JSON.stringify(shape))) {
    return wrong(`the Dockerfile's instructions differ from every baseline: ${firstDifference(run.skeletons[0] ?? [], shape)}`);
  }
  for (const file of [
    'Dockerfile',
    '.dockerignore',
    'Dockerfile.dockerignore',
    'docker/daemon.json',
    '.go-docker.yaml',
    ...Object.values(MANAGED_PATHS),
  ]) {
    const path = join(outDir, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (CONTROL_EXCEPT_NEWLINE.test(text) || text.includes('\r')) return wrong(`${file} holds a control character`);
    for (const secret of run.secrets) if (text.includes(secret)) return wrong(`${file} holds the secret ${secret}`);
    // compose.yaml and the CI files: valid YAML; a directory name never reaches a shell line or an expression.
    if (/\.ya?ml$/.test(file)) {
      try {
        parseYaml(text);
      } catch (error) {
        return wrong(`${file} is not YAML: ${String(error).slice(0, 200)}`);
      }
    }
  }
  const daemonJson = join(outDir, 'docker/daemon.json');
  if (existsSync(daemonJson)) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(readFileSync(daemonJson, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      return wrong(`daemon.json is not JSON: ${String(error)}`);
    }
    const unknown = Object.keys(parsed).filter((key) => !DAEMON_KEYS.has(key));
    if (unknown.length > 0) return wrong(`daemon.json has keys dockerd may not know: ${unknown.join(', ')}`);
  }
  // .go-docker.yaml round-trips: regenerating from it reproduces every file.
  const check = await runInProcess({ ...run, cwd: outDir, argv: ['regenerate', '--check'] });
  if (check.crashed || check.code !== 0)
    return wrong(
      `regenerate --check after generating: exit ${check.code} ${check.crashed ?? ''} ${check.stderr.slice(0, 200)} ` +
        check.stdout.slice(0, 300),
    );
  const problem = run.expect?.(run, result.stdout);
  if (problem) return wrong(problem);
  return { verdict: 'correct', detail: 'accepted; output checked' };
}

function firstDifference(expected: string[], actual: string[]): string {
  for (let index = 0; index < Math.max(expected.length, actual.length); index++) {
    if (expected[index] !== actual[index])
      return `instruction ${index + 1}: expected ${expected[index] ?? '(none)'}, got ${actual[index] ?? '(none)'}`;
  }
  return 'none';
}
