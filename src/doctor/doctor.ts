// create-go-docker doctor: read the project and its Docker setup, report each problem from the
// field notes with a stable id, where it is, and the fix. Loaded only for `doctor` (it brings
// the Dockerfile parser).
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { projectEntryKind } from '../io/project-files.js';
import { MACHINE_DAEMON_JSON, MANAGED_PATHS } from '../plan/paths.js';
import { wayForward, type WayForward } from './carry-over.js';
import { checkAll } from './checks.js';
import { IMPACTS, type Finding, type Impact, type Severity } from './findings.js';
import { contextSize, readInputs } from './inputs.js';
import { proxySettingsFrom, type ProxySettings } from '../io/http.js';
import { lastSetting, type DockerfileModel } from './dockerfile.js';
import { checkNetwork, DEFAULT_NETWORK_OPTIONS, type NetworkOptions } from './network.js';

export interface DoctorRequest {
  cwd: string;
  dir?: string;
  dockerfile?: string;
  daemonJson?: string;
  offline: boolean;
  timeoutSeconds?: number;
  /** For HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  env?: Record<string, string | undefined>;
}

export interface DoctorReport {
  dir: string;
  findings: Finding[];
  checked: string[];
  /** The command that generates our setup, with the old Dockerfile's network and base carried over (doctor --fix runs it). */
  next: WayForward;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const IMPACT_ORDER = Object.keys(IMPACTS) as Impact[];

export async function diagnose(request: DoctorRequest, network: NetworkOptions = DEFAULT_NETWORK_OPTIONS): Promise<DoctorReport> {
  const dir = resolve(request.cwd, request.dir ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${request.dir ?? '.'}: no such directory; give the directory of your Go module.`);
  }
  const display = (path: string): string => {
    const fromDir = relative(dir, path);
    return fromDir.startsWith('..') || isAbsolute(fromDir) ? path : fromDir.split('\\').join('/');
  };
  const dockerfile = request.dockerfile ? resolve(request.cwd, request.dockerfile) : join(dir, MANAGED_PATHS.dockerfile);
  // The daemon.json create-go-docker writes, else the one this machine's dockerd reads. Anything
  // at the project's path, a link included, is the project's: reading it then refuses the link,
  // rather than doctor quietly checking the machine's file instead.
  const daemonJson = request.daemonJson
    ? resolve(request.cwd, request.daemonJson)
    : projectEntryKind(dir, join('docker', 'daemon.json')) !== 'missing'
      ? join(dir, 'docker', 'daemon.json')
      : existsSync(MACHINE_DAEMON_JSON)
        ? MACHINE_DAEMON_JSON
        : undefined;
  const inputs = readInputs({
    dir,
    dockerfile,
    dockerfileGiven: request.dockerfile !== undefined,
    ...(daemonJson ? { daemonJson, daemonJsonGiven: request.daemonJson !== undefined } : {}),
    display,
  });
  const findings = checkAll(inputs);
  const checked = ['go.mod', inputs.dockerfile?.file, inputs.dockerignore?.file, inputs.daemonJson?.file].filter(
    (file): file is string => !!file,
  );
  if (inputs.goModText !== undefined)
    findings.push(...(await contextSize(dir, inputs.dockerignore?.text, inputs.dockerignore?.file ?? '.')));
  if (!request.offline) {
    const timeoutMs = (request.timeoutSeconds ?? network.timeoutMs / 1000) * 1000;
    findings.push(
      ...(await checkNetwork(inputs.dockerfile?.model, inputs.dockerfile?.file ?? MANAGED_PATHS.dockerfile, {
        ...network,
        timeoutMs,
        slowMs: Math.min(network.slowMs, timeoutMs / 2),
        proxies: network.proxies ?? probeProxies(inputs.dockerfile?.model, request.env ?? {}),
      })),
    );
    checked.push('network');
  }
  findings.sort(
    (a, b) =>
      IMPACT_ORDER.indexOf(a.impact) - IMPACT_ORDER.indexOf(b.impact) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.id.localeCompare(b.id) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0),
  );
  return { dir, findings, checked, next: wayForward(inputs.dockerfile, findings) };
}

/**
 * The proxy the build's go command uses: the one the Dockerfile sets (ARG/ENV HTTPS_PROXY with a
 * default), else this shell's. A value with a $ is left to the shell's.
 */
function probeProxies(model: DockerfileModel | undefined, env: Record<string, string | undefined>): ProxySettings {
  const fromShell = proxySettingsFrom(env);
  if (!model) return fromShell;
  const set = (name: string) => {
    const value = lastSetting(model, name)?.value;
    return value && !value.includes('$') ? value : undefined;
  };
  const fromDockerfile = proxySettingsFrom({ HTTP_PROXY: set('HTTP_PROXY'), HTTPS_PROXY: set('HTTPS_PROXY'), NO_PROXY: set('NO_PROXY') });
  return fromDockerfile.httpProxy || fromDockerfile.httpsProxy ? fromDockerfile : fromShell;
}

export function formatReport(report: DoctorReport, version: string, shownDir: string): string {
  const lines = [`create-go-docker ${version} doctor: ${shownDir} (${report.checked.join(', ')})`];
  // Grouped by what each finding stops (IMPACTS), the cause of a failing download first.
  for (const impact of IMPACT_ORDER) {
    const group = report.findings.filter((item) => item.impact === impact);
    if (group.length === 0) continue;
    lines.push('', IMPACTS[impact]);
    for (const item of group) {
      lines.push(
        `  ${item.id} ${item.severity.padEnd(7)}  ${item.file}${item.line ? `:${item.line}` : ''}  ${item.problem}`,
        `          fix: ${item.fix}`,
      );
    }
  }
  const count = (severity: Severity) => report.findings.filter((item) => item.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const totals = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${count('info')} info.`;
  lines.push('', totals);
  if (errors + warnings > 0) {
    // Ours: regenerate. Another: generate ours, the old Dockerfile's settings carried over, it kept as .orig.
    const carried = report.next.args.includes('--force')
      ? ' (what your Dockerfile sets is carried over; it is kept as Dockerfile.orig)'
      : '';
    lines.push(`Most fixes are what create-go-docker generates${carried}:`, `  ${report.next.command}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The report's fields in --json (the CLI adds the envelope every command's JSON has). */
export function reportData(report: DoctorReport): {
  dir: string;
  checked: string[];
  findings: Finding[];
  errors: number;
  warnings: number;
  info: number;
  next: string;
} {
  const count = (severity: Severity) => report.findings.filter((item) => item.severity === severity).length;
  return {
    dir: report.dir,
    checked: report.checked,
    findings: report.findings,
    errors: count('error'),
    warnings: count('warning'),
    info: count('info'),
    next: report.next.command,
  };
}
