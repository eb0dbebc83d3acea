// `npm pack`: one version of a package fetched the way npm itself would (the registry, scopes,
// tokens and proxy of .npmrc and npm_config_*), without installing it and without running any
// of its scripts. npm is there wherever `npx create-go-docker` runs, and reusing it means no
// second implementation of .npmrc, registry auth or semver ranges.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface PackedPackage {
  name: string;
  version: string;
  /** The registry's Subresource Integrity string (sha512-...), which npm checked the download against. */
  integrity?: string;
  /** The tarball npm wrote. */
  file: string;
}

/** Why npm could not fetch the package, in npm's own words (one line). */
export class NpmError extends Error {}

export interface NpmPackOptions {
  /** Where npm runs, so the project's .npmrc (a scope's registry) applies. */
  cwd: string;
  destination: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

/** Fetches `spec` (a checked name@range: no option, path, URL or git spec) into options.destination. */
export function npmPack(spec: string, options: NpmPackOptions): Promise<PackedPackage> {
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', options.destination, '--', spec];
  const windows = process.platform === 'win32';
  return new Promise((resolve, reject) => {
    execFile(
      windows ? 'npm.cmd' : 'npm',
      // npm.cmd runs through cmd.exe; the spec is a checked name@range, the destination a path.
      windows ? args.map((arg) => `"${arg}"`) : args,
      {
        cwd: options.cwd,
        env: {
          ...options.env,
          npm_config_update_notifier: 'false',
          npm_config_fund: 'false',
          npm_config_audit: 'false',
          npm_config_loglevel: 'error',
        },
        timeout: options.timeoutMs,
        maxBuffer: 4 * 1024 * 1024,
        windowsHide: true,
        shell: windows,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const failure = error as NodeJS.ErrnoException & { killed?: boolean };
          if (failure.code === 'ENOENT') reject(new NpmError('npm is not installed or not on PATH'));
          else if (failure.killed) reject(new NpmError(`npm did not finish within ${Math.round(options.timeoutMs / 1000)} s`));
          else reject(new NpmError(npmFailure(stdout, stderr)));
          return;
        }
        const packed = parsePackOutput(stdout);
        if (!packed) reject(new NpmError('npm pack printed no package'));
        else resolve({ ...packed, file: join(options.destination, packed.filename) });
      },
    );
  });
}

function parsePackOutput(stdout: string): { name: string; version: string; integrity?: string; filename: string } | undefined {
  try {
    const parsed = JSON.parse(stdout.slice(Math.max(0, stdout.indexOf('[')))) as unknown;
    const first = Array.isArray(parsed) ? (parsed[0] as Record<string, unknown> | undefined) : undefined;
    if (!first || typeof first.name !== 'string' || typeof first.version !== 'string' || typeof first.filename !== 'string')
      return undefined;
    // The file name is npm's, but it becomes a path: a plain name only.
    if (!/^[A-Za-z0-9._-]+\.tgz$/.test(first.filename)) return undefined;
    return {
      name: first.name,
      version: first.version,
      filename: first.filename,
      ...(typeof first.integrity === 'string' ? { integrity: first.integrity } : {}),
    };
  } catch {
    return undefined;
  }
}

/** npm's reason in one line: its --json error summary, else its first "npm error" line that says more than the code. */
function npmFailure(stdout: string, stderr: string): string {
  try {
    const parsed = JSON.parse(stdout.slice(Math.max(0, stdout.indexOf('{')))) as { error?: { code?: unknown; summary?: unknown } };
    if (typeof parsed.error?.summary === 'string' && parsed.error.summary.trim() !== '') {
      return `${typeof parsed.error.code === 'string' ? `${parsed.error.code}: ` : ''}${parsed.error.summary.trim().split('\n')[0]}`;
    }
  } catch {
    // Not JSON: npm's text output below.
  }
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^npm (?:error|ERR!)\s*/, '').trim())
    .filter((line) => line !== '');
  const code = lines.find((line) => /^code [A-Z0-9_]+$/.test(line))?.slice(5);
  const detail = lines.find(
    (line) => !/^code [A-Z0-9_]+$/.test(line) && !/^A complete log of this run/.test(line) && !/^\d{3}$/.test(line),
  );
  return [code, detail].filter((part) => part !== undefined).join(': ') || 'npm pack failed';
}
