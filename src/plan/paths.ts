// Where each managed file goes, relative to the output directory: one place, for the plan that
// names them, the renderer that writes them, the conflict check and the messages.
import { RuntimeError } from '../errors.js';
import { posixRelative } from '../io/paths.js';
import { brandKnown, brandOr, imagePathProblem, relativePathProblem, type ImagePath, type RelativePath } from '../values/kinds.js';
import { quoted } from '../values/text.js';

export const MANAGED_PATHS = {
  dockerfile: 'Dockerfile',
  daemonJson: 'docker/daemon.json',
  /** dockerd's HTTP proxy, a systemd drop-in (Plan.engineProxy). */
  engineProxy: 'docker/http-proxy.conf',
  buildkitdToml: 'docker/buildkitd.toml',
  /** The SSH host keys the build trusts (--auth ssh), COPY'd to /root/.ssh/known_hosts. */
  knownHosts: 'docker/known_hosts',
  compose: 'compose.yaml',
  bake: 'docker-bake.hcl',
  githubWorkflow: '.github/workflows/docker.yml',
  githubRollout: '.github/workflows/docker-policy-rollout.yml',
  gitlabCi: '.gitlab-ci.yml',
  /** Where GitLab's file goes when the project has its own .gitlab-ci.yml, which includes it. */
  gitlabIncluded: '.gitlab/create-go-docker.gitlab-ci.yml',
  /** --renovate: at the repository root, where Renovate reads its configuration. */
  renovate: 'renovate.json',
} as const;

/** Where a Linux dockerd reads its settings (doctor reads it; generate only asks whether it exists). */
export const MACHINE_DAEMON_JSON = '/etc/docker/daemon.json';

/** The answers file: always create-go-docker's to rewrite (editing it is how answers change). */
export const ANSWERS_FILE = '.go-docker.yaml';

/**
 * The ignore file the build reads: Docker reads .dockerignore from the context root, and BuildKit
 * reads <Dockerfile name>.dockerignore beside the Dockerfile before it, so a Dockerfile written
 * elsewhere (--out) gets its own there and the project's .dockerignore stays the project's.
 */
const IGNORE_FILES = ['.dockerignore', `${MANAGED_PATHS.dockerfile}.dockerignore`] as const;
export type IgnoreFile = (typeof IGNORE_FILES)[number];

/** The ignore files BuildKit reads for a Dockerfile at `dockerfilePath`, in its order (IGNORE_FILES says why). */
export function ignoreFilesRead(dockerfilePath: string, contextDir: string): [string, string] {
  return [`${dockerfilePath}.dockerignore`, `${contextDir}/${IGNORE_FILES[0]}`];
}

/** The ignore file doctor names when a project has none. */
export const CONTEXT_IGNORE_FILE: IgnoreFile = IGNORE_FILES[0];

/** The ignore file for a Dockerfile written into outDir, for the project in projectDir (IGNORE_FILES says why). */
export function ignoreFileFor(outDir: string, projectDir: string): IgnoreFile {
  return outDir === projectDir ? IGNORE_FILES[0] : IGNORE_FILES[1];
}

/** Where the runtime images hold the binaries: on every base's PATH; the one spelling of ENTRYPOINT, COPY and compose's healthcheck. */
export const IMAGE_BINARY_DIR = '/usr/local/bin';

/** A binary's path in the runtime image (binaryNameProblem checked its name). */
export function imageBinaryPath(binaryName: string): ImagePath {
  return brandKnown<ImagePath>(`${IMAGE_BINARY_DIR}/${binaryName}`, imagePathProblem);
}

/** Where a CA certificate given by path is copied into the build context. */
export const CA_CERT_DIR = 'docker/ca-certificates';

const WRITTEN_PATHS: ReadonlySet<string> = new Set([...Object.values(MANAGED_PATHS), ...IGNORE_FILES, ANSWERS_FILE]);

/**
 * Whether create-go-docker ever writes this path (relative to the output directory): a managed
 * file, the answers file, a copied CA certificate, or the .orig backup of one. Recovery of an
 * interrupted run acts on nothing else, whatever its journal says.
 */
export function isWrittenPath(path: string): boolean {
  const file = path.replace(/\.orig(?:\.[1-9][0-9]{0,3})?$/, '');
  if (WRITTEN_PATHS.has(file)) return true;
  const name = file.startsWith(`${CA_CERT_DIR}/`) ? file.slice(CA_CERT_DIR.length + 1) : undefined;
  // The names caCertPlan derives: deriveSafeName's alphabet, .crt.
  return name !== undefined && /^[a-z][a-z0-9._-]{0,63}\.crt$/.test(name);
}

/**
 * The path from directory `from` to `to` (or a file in it), as compose.yaml and the CI files
 * name it: a checked RelativePath, else an error naming the path, since a directory name with
 * a space, "$" or a quote would be read by a shell, a GitHub expression or Compose interpolation.
 */
export function pathBetween(from: string, to: string, what: string, usedBy: string): RelativePath {
  const path = posixRelative(from, to) || '.';
  return brandOr<RelativePath>(path, relativePathProblem, (problem) => {
    const fix = 'rename the directory, or write the files into the project (no --out)';
    throw new RuntimeError(`${what}, ${quoted(path)}, cannot be written into ${usedBy} safely (${problem}); ${fix}.`);
  });
}
