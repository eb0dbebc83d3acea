// doctor's static checks on the files a run has just written: an error doctor finds in what
// create-go-docker generates is a bug in the generator, or the consequence of an option the user
// forced. The run prints each as a warning, so it is seen before the first build; the tests fail
// on any (test/self-check.test.ts). No network, no context walk: only checks.ts, on the project
// already detected and the text just written (custom blocks included).
import { join, relative } from 'node:path';
import { parseGoMod, GoModSyntaxError } from '../detect/gomod.js';
import type { Project } from '../detect/project.js';
import { InputFileError, MIB } from '../io/read.js';
import { projectEntryKind, readOptionalProjectFile } from '../io/project-files.js';
import type { Options } from '../options/model.js';
import { toPosix } from '../io/paths.js';
import { checkAll, type DoctorInputs } from './checks.js';
import { parseDockerfile } from './dockerfile.js';
import type { CheckId, Finding } from './findings.js';

interface GeneratedFile {
  /** Relative to outDir, posix. */
  path: string;
  content: string;
}

export interface GeneratedInput {
  project: Project;
  options: Options;
  /** Where the files go (the project directory, or --out). */
  outDir: string;
  files: readonly GeneratedFile[];
  /** The names of the three files doctor reads, relative to outDir. */
  dockerfile: string;
  dockerignore: string;
  daemonJson: string;
}

/**
 * Findings that follow from an option the user forced, which the plan already warns about in
 * its own words: printing doctor's line too would say the same thing twice.
 */
const FORCED: readonly { id: CheckId; why: string; forced: (options: Options) => boolean }[] = [
  // "cgo is off but <reason>; the build fails if that code is compiled." (plan.ts)
  { id: 'GCD027', why: '--cgo off on code that needs cgo', forced: (options) => options.cgo === 'off' },
  // The generator decides cgo per image from each main's own imports; doctor sees the module's.
  { id: 'GCD037', why: 'cgo decided per image from its imports', forced: () => true },
];

/** doctor's error-level findings on the generated files, minus those an option forced. */
export function checkGenerated(input: GeneratedInput): Finding[] {
  const { project, outDir, files } = input;
  const dir = project.dir;
  // Paths as doctor sees them: relative to the build context.
  const inContext = (path: string) => toPosix(relative(dir, join(outDir, path)));
  const written = new Set(files.map((file) => inContext(file.path)));
  const contentOf = (path: string) => files.find((file) => file.path === path)?.content;
  const exists = (relativePath: string): boolean =>
    written.has(toPosix(relativePath).replace(/^\.\//, '')) || projectEntryKind(dir, relativePath) !== 'missing';
  const inputs: DoctorInputs = {
    dir,
    hasGoSum: exists('go.sum'),
    hasGoWork: project.hasGoWork,
    hasGitDir: exists('.git'),
    vendored: project.vendored,
    project,
    exists,
  };
  // The go.mod the build context has; a workspace without one is read through its first module.
  const goModPath = projectEntryKind(dir, 'go.mod') !== 'missing' ? 'go.mod' : join(project.modules[0]?.dir ?? '', 'go.mod');
  try {
    const goModText = readOptionalProjectFile(dir, goModPath, { maxBytes: 4 * MIB });
    if (goModText !== undefined) {
      inputs.goModText = goModText;
      inputs.goMod = parseGoMod(goModText);
    }
  } catch (error) {
    // Detection read it a moment ago; if it cannot be read now, there is nothing to check against.
    if (!(error instanceof InputFileError) && !(error instanceof GoModSyntaxError)) throw error;
    return [];
  }
  const dockerfileText = contentOf(input.dockerfile);
  if (dockerfileText !== undefined)
    inputs.dockerfile = { file: inContext(input.dockerfile), model: parseDockerfile(dockerfileText), generated: true };
  const dockerignoreText = contentOf(input.dockerignore);
  if (dockerignoreText !== undefined) inputs.dockerignore = { file: inContext(input.dockerignore), text: dockerignoreText };
  const daemonJsonText = contentOf(input.daemonJson);
  if (daemonJsonText !== undefined) inputs.daemonJson = { file: inContext(input.daemonJson), text: daemonJsonText };
  return checkAll(inputs).filter(
    (finding) => finding.severity === 'error' && !FORCED.some((forced) => forced.id === finding.id && forced.forced(input.options)),
  );
}

/** One warning line per finding: what doctor says, where, and its fix. */
export function generatedWarning(finding: Finding): string {
  const where = `${finding.file}${finding.line ? `:${finding.line}` : ''}`;
  return (
    `doctor ${finding.id} on the files just generated (${where}): ${finding.problem} Fix: ${finding.fix} ` +
    'If no option you gave asked for this, it is a create-go-docker bug: please report it.'
  );
}
