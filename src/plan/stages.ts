// The stages of the Dockerfile: one compile stage per image (or one for a bundle) and the
// runtime images, the default last; and the notes on what was left out. Pure: slices of the
// plan that buildPlan assembles (the download and deps steps: fetch.ts).
import { posix } from 'node:path';
import type { Project } from '../detect/project.js';
import type { Options } from '../options/model.js';
import {
  brandIf,
  commandWordProblem,
  envNameProblem,
  imageArgProblem,
  type CommandWord,
  type EnvName,
  type ImageArg,
} from '../values/kinds.js';
import { quoted } from '../values/text.js';
import type { NamedBinary } from './binaries.js';
import { runtimeWorkdir } from './images.js';
import { IMAGE_BINARY_DIR, imageBinaryPath } from './paths.js';
import { externalPrograms, missingProgramWarning, runtimePrograms } from './programs.js';
import type { CompileSettings, CompileStage, ImagePlan } from './plan.js';
import type { RankedMain } from './targets.js';
import type { UsageOnlyRoot } from '../detect/commands.js';
import type { ListenPlan } from '../detect/listen.js';

export function moduleOf(project: Project, ranked: RankedMain) {
  return project.modules.find((module) => module.dir === ranked.main.moduleDir) ?? project.modules[0]!;
}

export function leftOutNotes(project: Project, left: { main: { packagePath: string }; why: string }[]): string[] {
  const notes: string[] = [];
  const byRole = left.filter((item) => item.why !== 'not chosen');
  if (byRole.length > 0) {
    notes.push(`no image for ${byRole.map((item) => `${item.main.packagePath} (${item.why})`).join(', ')}; build one with --main.`);
  }
  for (const skipped of project.skippedMains) notes.push(`${quoted(skipped.dir)}: skipped, ${skipped.reason}.`);
  if (project.nestedModules.length > 0) {
    notes.push(
      `nested modules not in this build: ${project.nestedModules.join(', ')}; run create-go-docker in one, or add a ` +
        `go.work here that uses them.`,
    );
  }
  return notes;
}

/**
 * The programs the image's binaries run (detect/programs.ts): installed in its runtime stage when
 * the base can (debian, alpine), else a warning with where each is called and the fix.
 */
function installPrograms(
  image: ImagePlan,
  members: readonly NamedBinary[],
  binaries: readonly NamedBinary[],
  options: Options,
  notes: string[],
  warnings: string[],
): void {
  const ownBinaries = binaries.flatMap((binary) => [binary.name, binary.ranked.main.binaryName]);
  const uses = members.flatMap((member) => externalPrograms(member.ranked.main, ownBinaries));
  const programs = uses.filter((use, index) => uses.findIndex((other) => other.program === use.program) === index);
  if (programs.length === 0) return;
  const needs = runtimePrograms(programs, options.base, options.baseImage, image.stageName);
  for (const missing of needs.missing) warnings.push(missingProgramWarning(image.stageName, missing));
  if (needs.manager === undefined) return;
  const programList = needs.provided.join(', ');
  image.install = { apt: needs.manager === 'apt', packages: needs.packages, programs: programList };
  const family = needs.manager === 'apt' ? 'Debian' : 'Alpine';
  notes.push(
    `${image.stageName} runs ${programList}: its runtime installs ${family}'s ${needs.packages.join(', ')} ` +
      `(--base distroless drops them, and the container then fails at that call).`,
  );
}

/**
 * Config files of the repository the image's binaries read at start by a relative default path
 * (detect/config-files.ts): the runtime holds only the binaries, so the program fails to find
 * them; a warning with the COPY line for the image's custom block (a relative destination is
 * relative to the base's WORKDIR, whatever the base) and the -v for your own (absolute: the
 * base's working directory, when the base is one of ours).
 */
function startFilesWarning(image: ImagePlan, members: readonly NamedBinary[], options: Options, warnings: string[]): void {
  const found = members.flatMap((member) => member.ranked.main.startFiles ?? []);
  const files = found.filter((item, index) => found.findIndex((other) => other.read === item.read) === index);
  if (files.length === 0) return;
  const workdir = options.baseImage === undefined ? runtimeWorkdir(options.base) : undefined;
  const inside = (read: string) => (workdir === undefined ? `WORKDIR/${read}` : posix.join(workdir, read));
  const copies = files.map((item) => `COPY ${item.file} ${item.read}`).join('; ');
  const mounts = files.map((item) => `-v "$PWD/${item.file}:${inside(item.read)}:ro"`).join(' ');
  const them = files.length === 1 ? 'it' : 'them';
  warnings.push(
    `${image.stageName} reads ${files.map((item) => item.read).join(', ')} at start (a relative default path, so from ` +
      `its working directory, ${workdir ?? "the base image's WORKDIR"}), and the image holds only the binary, so the program ` +
      `starts without ${them}. Copy ${them} from the repository in the runtime-${image.stageName} custom block (${copies}), ` +
      `or mount your own: docker run ${mounts} ${image.tag}.`,
  );
}

/** One compile stage per image (or one for the bundle), and the runtime images, the default last. */
export function stages(
  binaries: readonly NamedBinary[],
  options: Options,
  notes: string[],
  warnings: string[],
  uid: number,
  settings: CompileSettings,
): { compileStages: CompileStage[]; images: ImagePlan[] } {
  // -buildid= with -trimpath: the binary's bytes depend on the source alone, not on where or when it was built.
  const ldflags = (binary: NamedBinary) =>
    ['-s', '-w', '-buildid=', ...binary.ranked.main.versionTargets.map((target) => `-X ${target}=\${VERSION}`)].join(' ');
  const compileEntry = (binary: NamedBinary) => ({
    name: binary.name,
    packagePath: binary.ranked.main.packagePath,
    ldflags: ldflags(binary),
  });
  const chosen = binaries[0]!;
  const compileStages: CompileStage[] = [];
  const images: ImagePlan[] = [];
  const imageBinaries = options.bundle ? [chosen] : binaries;
  for (const binary of imageBinaries) {
    const isDefault = binary === chosen;
    const members = options.bundle ? binaries : [binary];
    const stageName = `build-${binary.stageName}`;
    compileStages.push({
      stageName,
      binaries: members.map(compileEntry),
      hasVersion: members.some((member) => member.ranked.main.versionTargets.length > 0),
      ...settings(members.map((member) => member.ranked.main)),
    });
    const image: ImagePlan = {
      stageName: binary.stageName,
      tag: binary.tag,
      packagePath: binary.ranked.main.packagePath,
      isDefault,
      entrypoint: binary.name,
      binaryPath: imageBinaryPath(binary.name),
      copies: members.map((member) => ({ from: stageName, name: member.name, path: imageBinaryPath(member.name) })),
    };
    const probe = binary.ranked.main.healthProbe;
    const argument = probe && brandIf<CommandWord>(probe.argument, commandWordProblem);
    // A word the kind refuses is left out: no healthcheck rather than one compose would misread.
    if (probe && argument && 'value' in argument) image.healthProbe = { kind: probe.kind, argument: argument.value };
    const listen = binary.ranked.main.listen;
    const port = isDefault ? (options.port ?? listen.port) : listen.port;
    if (port !== undefined) {
      image.port = port;
      const extraPorts = (listen.extraPorts ?? []).filter((extra) => extra !== port);
      if (extraPorts.length > 0) image.extraPorts = extraPorts;
      if (port < 1024 && uid !== 0) {
        warnings.push(
          `${image.stageName} listens on port ${port}, below 1024, as non-root user ${uid}: fine on Docker's default ` +
            `bridge network, but it fails with --network=host and where low ports are privileged (Kubernetes by ` +
            `default); prefer a port from 1024 up.`,
        );
      }
    }
    installPrograms(image, members, binaries, options, notes, warnings);
    startFilesWarning(image, members, options, warnings);
    const argsGiven = isDefault && options.args !== undefined;
    const usageOnly = binary.ranked.main.usageOnly;
    if (usageOnly && !argsGiven) runServingSubcommand(image, usageOnly, listen.loopback, notes, warnings);
    else if (listen.loopback) bindAllInterfaces(image, listen.loopback, argsGiven, notes, warnings);
    if (argsGiven) image.args = options.args;
    images.push(image);
  }
  compileNotes(compileStages, binaries, notes);
  // The default image last, so a plain docker build produces it; its compile stage likewise.
  images.push(images.shift()!);
  compileStages.push(compileStages.shift()!);
  if (options.bundle && binaries.length > 1)
    notes.push(`bundle: the ${chosen.stageName} image holds ${binaries.map((binary) => binary.name).join(', ')} in ${IMAGE_BINARY_DIR}.`);
  return { compileStages, images };
}

/** When the stages differ in tags or cgo, one line per stage that differs from the default image's. */
function compileNotes(compileStages: readonly CompileStage[], binaries: readonly NamedBinary[], notes: string[]): void {
  const [first, ...others] = compileStages;
  const source = (main: RankedMain) =>
    main.main.tagsSource
      ? ` (as ${main.main.tagsSource} builds it)`
      : main.declared?.id
        ? ` (the release config's linux build ${main.declared.id})`
        : '';
  const chosen = binaries[0]!.ranked;
  if (chosen.main.tagsSource && chosen.main.tags.length > 0)
    notes.push(`${first!.stageName} compiles ${chosen.main.packagePath} with -tags=${chosen.main.tags.join(',')}${source(chosen)}.`);
  for (const [index, stage] of others.entries()) {
    const main = binaries[index + 1]!.ranked;
    const tags = stage.buildTags === first!.buildTags ? [] : [stage.buildTags ? `-tags=${stage.buildTags}` : 'no tags'];
    const release = source(main);
    const cgo = stage.cgoEnabled === first!.cgoEnabled ? [] : [`CGO_ENABLED=${stage.cgoEnabled ? '1' : '0'}`];
    const defaults = `${first!.buildTags ? `-tags=${first!.buildTags}` : 'no tags'}, CGO_ENABLED=${first!.cgoEnabled ? '1' : '0'}`;
    if (tags.length + cgo.length > 0)
      notes.push(
        `${stage.stageName} compiles ${main.main.packagePath} with ${[...tags, ...cgo].join(' and ')}${tags.length > 0 ? release : ''}, ` +
          `unlike the default image (${defaults}).`,
      );
  }
}

/**
 * A service that listens on loopback by default, made reachable: an ENV line when a variable
 * sets the address, default arguments when a root flag does; otherwise a warning with the
 * --args to give (a subcommand's flag, a flag the program requires another one with, no flag).
 * Given --args win over default arguments, and need no warning.
 */
function bindAllInterfaces(
  image: ImagePlan,
  loopback: NonNullable<ListenPlan['loopback']>,
  argsGiven: boolean,
  notes: string[],
  warnings: string[],
): void {
  const unreachable = `${image.packagePath} listens on loopback by default (${loopback.where})`;
  const name = loopback.env && brandIf<EnvName>(loopback.env.name, envNameProblem);
  const value = loopback.env && brandIf<ImageArg>(loopback.env.value, imageArgProblem);
  if (name && value && 'value' in name && 'value' in value) {
    image.env = [{ name: name.value, value: value.value }];
    notes.push(
      `${unreachable}, which no one outside the container reaches: the image sets ${name.value}=${value.value} (docker ` +
        `run -e ${name.value}=... overrides it).`,
    );
    return;
  }
  if (argsGiven) return; // --args decides the default arguments, and says how it binds.
  const fix = loopback.fix === undefined ? undefined : brandIf<ImageArg>(loopback.fix, imageArgProblem);
  const invocation = loopback.fix && `${loopback.subcommand ? `${loopback.subcommand} ` : ''}${loopback.fix}`;
  if (loopback.fix && loopback.requires) {
    // The program refuses the listen flag alone: only the user knows the address to pair it with.
    warnings.push(
      `${unreachable}: docker run -p cannot reach it. ${loopback.fix} would bind 0.0.0.0, but the program requires ` +
        `--${loopback.requires.flag} with it (${loopback.requires.where}): give both with --args '${invocation} ` +
        `--${loopback.requires.flag}=...'.`,
    );
  } else if (fix && 'value' in fix && !loopback.subcommand) {
    image.args = [fix.value];
    notes.push(`${unreachable}, which no one outside the container reaches: the image runs it with ${fix.value} (--args replaces that).`);
  } else {
    warnings.push(
      `${unreachable}: docker run -p cannot reach it. Give the image arguments that bind 0.0.0.0: ` +
        `${invocation ? `--args '${invocation}'` : '--args with its listen flag set to 0.0.0.0'}.`,
    );
  }
}

/**
 * A root command that only prints usage (detect/commands.ts) would stop the container at once:
 * the image runs the one subcommand that serves (CMD ["serve"], with the listen flag that binds
 * all interfaces when that subcommand or the root defines it), or, when none or several serve, a
 * warning names the subcommands and --args.
 */
function runServingSubcommand(
  image: ImagePlan,
  usageOnly: UsageOnlyRoot,
  loopback: ListenPlan['loopback'],
  notes: string[],
  warnings: string[],
): void {
  const root = `${image.packagePath}: its root command only prints usage and exits (${usageOnly.by})`;
  const serve = usageOnly.serve === undefined ? undefined : brandIf<ImageArg>(usageOnly.serve, imageArgProblem);
  if (serve === undefined || !('value' in serve)) {
    warnings.push(
      `${root}, so the container would stop at once; its subcommands: ${usageOnly.subcommands.join(', ')}. Give the one that ` +
        `serves with --args '<subcommand> ...'.`,
    );
    if (loopback) bindAllInterfaces(image, loopback, false, notes, warnings);
    return;
  }
  const args = [serve.value];
  const fix = loopback?.fix === undefined ? undefined : brandIf<ImageArg>(loopback.fix, imageArgProblem);
  const ownFlag = loopback !== undefined && (loopback.subcommand === undefined || loopback.subcommand === serve.value);
  if (loopback && !loopback.env && fix && 'value' in fix && ownFlag && !loopback.requires) {
    args.push(fix.value);
    notes.push(
      `${image.packagePath} listens on loopback by default (${loopback.where}): the image binds all interfaces with ${fix.value}.`,
    );
  } else if (loopback) bindAllInterfaces(image, loopback, false, notes, warnings);
  image.args = args;
  notes.push(`${root}: the image runs ${args.join(' ')} (--args replaces that).`);
}
