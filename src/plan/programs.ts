// What a runtime image needs for the external programs a main runs (detect/programs.ts): scratch
// and distroless have no shell, no git, no package manager, so a main that runs one exits at its
// first call there. With --yes (no base chosen) such a main gets Debian's slim image and an
// install line for the programs' packages: about 30 MB more than distroless, against a container
// that starts and then fails on its first exec. A base someone chose is kept, with a warning that
// names the program, where it is called and the fix. Pure.
import type { MainPackage } from '../detect/analyze.js';
import type { ProgramUse } from '../detect/programs.js';
import type { Base } from '../options/model.js';
import { brandKnown, packageNameProblem, type PackageName } from '../values/kinds.js';

/** The program is in the base image already (a shell, busybox's applets). */
const IN_BASE = 'in the base';
type Provided = PackageName | typeof IN_BASE;

function pkg(name: string): PackageName {
  return brandKnown<PackageName>(name, packageNameProblem);
}

/**
 * The package that provides a program on debian:bookworm-slim and on alpine, one entry per program.
 * A program not listed gets no install line, only a warning that names it.
 */
export const PROGRAM_PACKAGES: Readonly<Record<string, { debian: Provided; alpine: Provided }>> = {
  sh: { debian: IN_BASE, alpine: IN_BASE },
  bash: { debian: IN_BASE, alpine: pkg('bash') },
  env: { debian: IN_BASE, alpine: IN_BASE },
  tar: { debian: IN_BASE, alpine: IN_BASE },
  gzip: { debian: IN_BASE, alpine: IN_BASE },
  git: { debian: pkg('git'), alpine: pkg('git') },
  'git-lfs': { debian: pkg('git-lfs'), alpine: pkg('git-lfs') },
  ffmpeg: { debian: pkg('ffmpeg'), alpine: pkg('ffmpeg') },
  ffprobe: { debian: pkg('ffmpeg'), alpine: pkg('ffmpeg') },
  docker: { debian: pkg('docker.io'), alpine: pkg('docker-cli') },
  curl: { debian: pkg('curl'), alpine: pkg('curl') },
  wget: { debian: pkg('wget'), alpine: IN_BASE },
  ssh: { debian: pkg('openssh-client'), alpine: pkg('openssh-client') },
  scp: { debian: pkg('openssh-client'), alpine: pkg('openssh-client') },
  rsync: { debian: pkg('rsync'), alpine: pkg('rsync') },
  unzip: { debian: pkg('unzip'), alpine: IN_BASE },
  zip: { debian: pkg('zip'), alpine: pkg('zip') },
  gpg: { debian: pkg('gnupg'), alpine: pkg('gnupg') },
  openssl: { debian: pkg('openssl'), alpine: pkg('openssl') },
  convert: { debian: pkg('imagemagick'), alpine: pkg('imagemagick') },
  magick: { debian: pkg('imagemagick'), alpine: pkg('imagemagick') },
  python3: { debian: pkg('python3'), alpine: pkg('python3') },
  node: { debian: pkg('nodejs'), alpine: pkg('nodejs') },
  ip: { debian: pkg('iproute2'), alpine: pkg('iproute2') },
  iptables: { debian: pkg('iptables'), alpine: pkg('iptables') },
  ping: { debian: pkg('iputils-ping'), alpine: IN_BASE },
  ps: { debian: pkg('procps'), alpine: IN_BASE },
  which: { debian: IN_BASE, alpine: IN_BASE },
  pg_dump: { debian: pkg('postgresql-client'), alpine: pkg('postgresql-client') },
  pg_restore: { debian: pkg('postgresql-client'), alpine: pkg('postgresql-client') },
  psql: { debian: pkg('postgresql-client'), alpine: pkg('postgresql-client') },
  mysqldump: { debian: pkg('default-mysql-client'), alpine: pkg('mysql-client') },
  mysql: { debian: pkg('default-mysql-client'), alpine: pkg('mysql-client') },
  'redis-cli': { debian: pkg('redis-tools'), alpine: pkg('redis') },
  sqlite3: { debian: pkg('sqlite3'), alpine: pkg('sqlite') },
  kill: { debian: pkg('procps'), alpine: IN_BASE },
  pandoc: { debian: pkg('pandoc'), alpine: pkg('pandoc') },
  exiftool: { debian: pkg('libimage-exiftool-perl'), alpine: pkg('exiftool') },
};

/** The bases that have a shell and a package manager, so the programs can be installed. */
const INSTALLABLE: Partial<Record<Base, 'debian' | 'alpine'>> = { debian: 'debian', alpine: 'alpine' };

/** The programs a main runs that the image does not hold itself (a main may run another of the project's binaries). */
export function externalPrograms(main: Pick<MainPackage, 'programs'>, ownBinaries: readonly string[]): ProgramUse[] {
  return (main.programs ?? []).filter((use) => !ownBinaries.includes(use.program));
}

/** Whether a base can have these programs: one with a package manager (debian, alpine), never scratch or distroless. */
export function baseCanRun(base: Base, programs: readonly ProgramUse[]): boolean {
  return programs.length === 0 || INSTALLABLE[base] !== undefined;
}

export interface RuntimePrograms {
  /** The packages to install in the runtime stage, sorted and distinct; empty: none. */
  packages: PackageName[];
  manager?: 'apt' | 'apk';
  /** The programs the image has (from the packages or the base), "git (internal/repo.go:12)", for a note. */
  provided: string[];
  /** Programs the image will not have: why, and the fix, for a warning. */
  missing: { use: ProgramUse; why: string; fix: string }[];
}

/** The install line a Debian-based runtime needs, for a fix the user pastes into the runtime custom block. */
function aptLine(packages: string): string {
  return `RUN apt-get update && apt-get install -y --no-install-recommends ${packages} && rm -rf /var/lib/apt/lists/*`;
}

/**
 * What the runtime image needs for these programs, on this base. A --base-image is unknown, so
 * nothing is installed there; scratch and distroless cannot install anything.
 */
export function runtimePrograms(
  programs: readonly ProgramUse[],
  base: Base,
  baseImage: string | undefined,
  stageName: string,
): RuntimePrograms {
  const result: RuntimePrograms = { packages: [], provided: [], missing: [] };
  const family = baseImage === undefined ? INSTALLABLE[base] : undefined;
  const block = `the runtime-${stageName} custom block`;
  for (const use of programs) {
    const entry = PROGRAM_PACKAGES[use.program];
    const debian = entry === undefined ? `the package that provides ${use.program}` : entry.debian === IN_BASE ? undefined : entry.debian;
    if (baseImage !== undefined) {
      result.missing.push({
        use,
        why: `create-go-docker does not know whether ${baseImage} has it`,
        fix: `make sure the image has ${use.program}, or use --base debian`,
      });
    } else if (family === undefined) {
      const shell = use.program === 'sh' || use.program === 'bash';
      result.missing.push({
        use,
        why: `the ${base} runtime has ${shell ? 'no shell' : `no ${use.program}`} and no package manager to add it`,
        fix: debian === undefined ? '--base debian (it has a shell)' : `--base debian and, in ${block}, ${aptLine(debian)}`,
      });
    } else if (entry === undefined) {
      result.missing.push({
        use,
        why: `create-go-docker does not know which ${family} package provides it`,
        fix: `install it in ${block}`,
      });
    } else {
      const provided = entry[family];
      if (provided !== IN_BASE && !result.packages.includes(provided)) result.packages.push(provided);
      result.provided.push(`${use.program} (${use.where})`);
    }
  }
  result.packages.sort();
  if (result.packages.length > 0) result.manager = family === 'alpine' ? 'apk' : 'apt';
  return result;
}

/** The warning for a program the image will not have: the program, where it is called, why, and the fix. */
export function missingProgramWarning(stageName: string, missing: RuntimePrograms['missing'][number]): string {
  const { use, why, fix } = missing;
  return `${stageName} runs ${use.program} (${use.where}) but ${why}: the container fails at that call. Fix: ${fix}.`;
}
