// Where each managed file goes, relative to the output directory: one place, for the plan that
// names them, the renderer that writes them, the conflict check and the messages.
import { RuntimeError } from '../errors.js';
import { posixRelative } from '../io/paths.js';
import { relativePathProblem, type RelativePath } from '../values/kinds.js';
import { quoted } from '../values/text.js';

export const MANAGED_PATHS = {
  dockerfile: 'Dockerfile',
  daemonJson: 'docker/daemon.json',
  buildkitdToml: 'docker/buildkitd.toml',
  compose: 'compose.yaml',
  bake: 'docker-bake.hcl',
  githubWorkflow: '.github/workflows/docker.yml',
  githubRollout: '.github/workflows/docker-policy-rollout.yml',
  gitlabCi: '.gitlab-ci.yml',
  /** Where GitLab's file goes when the project has its own .gitlab-ci.yml, which includes it. */
  gitlabIncluded: '.gitlab/create-go-docker.gitlab-ci.yml',
} as const;

/**
 * The path from directory `from` to `to` (or a file in it), as compose.yaml and the CI files
 * name it: a checked RelativePath, else an error naming the path, since a directory name with
 * a space, "$" or a quote would be read by a shell, a GitHub expression or Compose interpolation.
 */
export function pathBetween(from: string, to: string, what: string, usedBy: string): RelativePath {
  const path = posixRelative(from, to) || '.';
  const problem = relativePathProblem(path);
  if (problem === undefined) return path as RelativePath;
  throw new RuntimeError(`${what}, ${quoted(path)}, cannot be written into ${usedBy} safely (${problem}); rename the directory, or write the files into the project (no --out).`);
}
