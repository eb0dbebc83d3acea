// What .dockerignore leaves out besides its fixed rules: the files create-go-docker writes and the
// .orig backups it keeps of files it replaced. The build reads none of them, and each is in the
// build context the compile step mounts whole, so an edit to one (a CI job, compose.yaml, a
// backup) would run the compile step again.
import { join } from 'node:path';
import { posixRelative } from '../io/paths.js';
import { contextPathProblem, type ContextPath, type IgnorePattern } from '../values/kinds.js';
import { ANSWERS_FILE, ignoreFileFor, MANAGED_PATHS } from './paths.js';
import type { Plan } from './plan.js';

/** The files a run writes into the output directory, as renderFiles (cli/pipeline.ts) writes them. */
function writtenFiles(plan: Plan, ignoreFileName: string): { path: string; readByBuild: boolean }[] {
  const files = [MANAGED_PATHS.dockerfile, ignoreFileName, ANSWERS_FILE].map((path) => ({ path, readByBuild: false }));
  const add = (path: string, readByBuild = false) => files.push({ path, readByBuild });
  if (plan.compose) add(MANAGED_PATHS.compose);
  if (plan.buildkitd) add(MANAGED_PATHS.buildkitdToml);
  if (plan.ci?.github) {
    add(MANAGED_PATHS.githubWorkflow);
    if (plan.ci.rollout) add(MANAGED_PATHS.githubRollout);
  }
  if (plan.ci?.gitlab) add(plan.ci.gitlabFile);
  if (plan.ci?.several) add(plan.ci.bakeFile);
  if (plan.daemonJson) add(MANAGED_PATHS.daemonJson);
  // A CA certificate copied into the context is COPY'd by the Dockerfile: only its backup goes.
  // copyTo is from the output directory, like every path here (contextPath is from the project).
  if (plan.caCert?.copyTo) add(plan.caCert.copyTo, true);
  return files;
}

/**
 * The .dockerignore lines for our own files, as paths from the build context: the files the
 * build never reads, and a pattern per written file for its backups (Dockerfile.orig,
 * Dockerfile.orig.2, ...). Files outside the context (--out elsewhere) need no line; a path
 * that is not a plain context path (a directory name with a space or a glob character) gets
 * none either, since a pattern could not name it alone.
 */
export function ownIgnoreLines(plan: Plan, projectDir: string, outDir: string): { own: ContextPath[]; backups: IgnorePattern[] } {
  const ignoreFileName = ignoreFileFor(outDir, projectDir);
  const own: ContextPath[] = [];
  const backups: IgnorePattern[] = [];
  for (const file of writtenFiles(plan, ignoreFileName)) {
    const path = posixRelative(projectDir, join(outDir, file.path));
    if (contextPathProblem(path) !== undefined) continue;
    if (!file.readByBuild) own.push(path as ContextPath);
    backups.push(`${path}.orig*` as IgnorePattern);
  }
  return { own, backups };
}
