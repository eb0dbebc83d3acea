// create-go-docker doctor [dir]: diagnose an existing Docker setup; changes nothing, unless
// --fix runs the way forward the report ends with.
import { resolve } from 'node:path';
import { entryKind } from '../io/read.js';
import type { WayForward } from '../doctor/carry-over.js';
import { parseInvocation, type DoctorArgs } from './flags.js';
import type { CliIo } from './main.js';
import { printJson, printText } from './output.js';
import { jsonDocument } from './report.js';
import { toolVersion } from './version.js';

export async function doctor(args: DoctorArgs, io: CliIo): Promise<number> {
  // The Dockerfile parser comes with doctor only, so generate and regenerate stay quick to start.
  const { diagnose, formatReport, reportData } = await import('../doctor/doctor.js');
  const report = await diagnose({
    cwd: io.cwd,
    offline: args.offline,
    env: io.env ?? process.env,
    ...(args.dir ? { dir: args.dir } : {}),
    ...(args.dockerfile ? { dockerfile: args.dockerfile } : {}),
    ...(args.daemonJson ? { daemonJson: args.daemonJson } : {}),
    ...(args.timeoutSeconds ? { timeoutSeconds: args.timeoutSeconds } : {}),
  });
  const errors = report.findings.filter((item) => item.severity === 'error').length;
  const exitCode = errors > 0 ? 1 : 0;
  if (args.json) {
    const error =
      exitCode === 0
        ? undefined
        : {
            code: 'needs-attention' as const,
            message: `${errors} error${errors > 1 ? 's' : ''} found in ${args.dir ?? '.'}: ${report.findings
              .filter((item) => item.severity === 'error')
              .map((item) => item.id)
              .join(', ')}.`,
          };
    printJson(
      io.stdout,
      jsonDocument({ command: 'doctor', version: toolVersion(), exitCode, ...(error ? { error } : {}) }, reportData(report)),
    );
  } else printText(io.stdout, formatReport(report, toolVersion(), args.dir ?? '.'));
  if (!args.fix) return exitCode;
  if (report.findings.every((item) => item.severity === 'info')) {
    printText(io.stdout, 'Nothing to fix.\n');
    return 0;
  }
  return fix(report.next, resolve(io.cwd, args.dir ?? '.'), io);
}

/**
 * The way forward, run as the user would run the printed command, never asking (--yes): the
 * directory made absolute, so no name in it is read as a flag or a command.
 */
async function fix(wayForward: WayForward, dir: string, io: CliIo): Promise<number> {
  printText(io.stdout, `\nRunning: ${wayForward.command}\n\n`);
  const argv = wayForward.args[0] === 'regenerate' ? [...wayForward.args, dir] : [...wayForward.args, '--yes', dir];
  const invocation = parseInvocation(argv, (path) => entryKind(resolve(io.cwd, path)) !== 'missing');
  if (invocation.command === 'regenerate') return (await import('./regenerate.js')).regenerate(invocation.args, io);
  if (invocation.command === 'generate') return (await import('./generate.js')).generate(invocation.args, io);
  throw new Error(`doctor --fix: the way forward is not a generate or regenerate command: ${wayForward.command}`);
}
