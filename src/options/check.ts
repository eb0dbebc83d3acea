// Every check that spans several options or the project, in one place, after the policy and the
// wizard and before the plan: buildPlan may assume its input passed. Messages name where each
// value came from (a flag, .go-docker.yaml, the policy, the wizard).
import type { Project } from '../detect/project.js';
import { RuntimeError, UsageError } from '../errors.js';
import { quoted } from '../values/text.js';
import { describeSource } from './model.js';
import { REGION_DEFAULTS } from './regions.js';
import type { ResolvedOptions } from './resolve.js';
import { privateGitHosts } from './private.js';

export function checkOptions(resolved: ResolvedOptions, project: Project): void {
  const { options, sources } = resolved;
  if (options.goProxy === undefined && REGION_DEFAULTS[options.region].goProxy === undefined) {
    throw new UsageError(`region ${options.region} (${describeSource(sources.region, 'region')}) needs --goproxy (your company proxy, e.g. https://athens.corp.example,direct); pass it or choose --region global|cn.`);
  }
  if (project.mainPackages.length === 0) {
    const skipped = project.skippedMains.length > 0 ? ` (${project.skippedMains.map((main) => `${quoted(main.dir)} is ${main.reason}`).join('; ')})` : '';
    throw new RuntimeError(`${quoted(project.dir).slice(1, -1)}: no main package (package main with func main) found${skipped}; add one, e.g. cmd/app/main.go.`);
  }
  if (options.mainPackage !== undefined && !project.mainPackages.some((main) => main.packagePath === options.mainPackage)) {
    const found = project.mainPackages.map((main) => main.packagePath).join(', ');
    throw new UsageError(`${describeSource(sources.mainPackage, 'mainPackage')} ${options.mainPackage}: not a main package of this module; choose one of ${found}.`);
  }
  const cgoEnabled = options.cgo === 'on' || (options.cgo === 'auto' && project.cgoReasons.length > 0);
  if (cgoEnabled && options.base === 'scratch' && !options.baseImage) {
    const reason = project.cgoReasons[0] ? ` (${project.cgoReasons[0]})` : '';
    throw new UsageError(`base scratch (${describeSource(sources.base, 'base')}) cannot run a cgo binary${reason}: it has no C library; choose --base debian or --base distroless, or --cgo off if the code builds without cgo.`);
  }
  if (!options.goVersion) {
    throw new RuntimeError('go.mod has no go line and --go was not given; add "go 1.xx" to go.mod or pass --go.');
  }
  if (options.auth !== 'none' && options.privatePatterns.length === 0) {
    throw new UsageError(`auth ${options.auth} (${describeSource(sources.auth, 'auth')}) needs --private (the module paths to fetch with it, e.g. git.corp.example/*).`);
  }
  if (options.ci === 'none') {
    for (const key of ['ciRegistry', 'ciRollout'] as const) {
      if (options[key] !== undefined) throw new UsageError(`${describeSource(sources[key], key)} needs a CI to write for; add --ci github or --ci gitlab.`);
    }
  }
  if (options.ciCache === 'gha' && options.ci !== 'github') {
    throw new UsageError(`ci-cache gha (${describeSource(sources.ciCache, 'ciCache')}) is GitHub's cache service; it needs --ci github (GitLab and others: --ci-cache registry).`);
  }
  if (options.auth === 'ssh' && privateGitHosts(options.privatePatterns, project.module.requires).length === 0) {
    throw new UsageError(`auth ssh: cannot tell the git host from private ${options.privatePatterns.join(',')} (${describeSource(sources.privatePatterns, 'privatePatterns')}); include the host literally, e.g. git.corp.example/*.`);
  }
}
