// create-go-docker doctor [dir]: diagnose an existing Docker setup; changes nothing.
import type { DoctorArgs } from './flags.js';
import type { CliIo } from './main.js';
import { printJson, printText } from './output.js';
import { toolVersion } from './version.js';

export async function doctor(args: DoctorArgs, io: CliIo): Promise<number> {
  // The Dockerfile parser comes with doctor only, so generate and regenerate stay quick to start.
  const { diagnose, formatReport, reportJson } = await import('../doctor/doctor.js');
  const report = await diagnose({
    cwd: io.cwd,
    offline: args.offline,
    env: io.env ?? process.env,
    ...(args.dir ? { dir: args.dir } : {}),
    ...(args.dockerfile ? { dockerfile: args.dockerfile } : {}),
    ...(args.daemonJson ? { daemonJson: args.daemonJson } : {}),
    ...(args.timeoutSeconds ? { timeoutSeconds: args.timeoutSeconds } : {}),
  });
  if (args.json) printJson(io.stdout, reportJson(report, toolVersion()));
  else printText(io.stdout, formatReport(report, toolVersion(), args.dir ?? '.'));
  return report.findings.some((item) => item.severity === 'error') ? 1 : 0;
}
