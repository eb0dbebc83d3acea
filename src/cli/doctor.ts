// create-go-docker doctor [dir]: diagnose an existing Docker setup; changes nothing.
import type { DoctorArgs } from './flags.js';
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
  return exitCode;
}
