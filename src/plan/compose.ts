// compose.yaml (--compose): the images that serve, built as `docker build` builds them (same
// target, build args, secret or SSH agent) and run with their port and a restart policy, so
// `docker compose up --build` is the whole local loop.
import { sep } from 'node:path';
import { posixRelative } from '../io/paths.js';
import type { Options } from '../options/model.js';
import type { RelativePath, SafeName } from '../values/kinds.js';
import { proxyBuildArgs, shellWord } from './commands.js';
import { MANAGED_PATHS, pathBetween } from './paths.js';
import type { ImagePlan } from './plan.js';

export interface ComposePlan {
  /** The build context, from the directory compose.yaml is in. */
  context: RelativePath;
  /** The Dockerfile, from the build context. */
  dockerfile: RelativePath;
  /** docker compose up, as run from where the user is. */
  upCommand: string;
  buildArgs: { name: string; value: string }[];
  netrcSecret: boolean;
  ssh: boolean;
  services: { name: SafeName; target: SafeName; image: SafeName; port?: number; extraPorts?: number[] }[];
}

export function composePlan(input: {
  options: Options;
  images: readonly ImagePlan[];
  projectDir: string;
  outDir: string;
  cwd: string;
  noProxy: string | undefined;
}): ComposePlan {
  const { options, images } = input;
  // The images that serve; a project that serves nothing (a worker) runs its default image.
  const serving = images.filter((image) => image.port !== undefined);
  const chosen = serving.length > 0 ? serving : images.filter((image) => image.isDefault);
  const composeFile = posixRelative(input.cwd, input.outDir) || '.';
  return {
    context: pathBetween(input.outDir, input.projectDir, 'the project directory seen from the output directory', MANAGED_PATHS.compose),
    dockerfile: pathBetween(
      input.projectDir,
      `${input.outDir}${sep}${MANAGED_PATHS.dockerfile}`,
      'the Dockerfile seen from the project directory',
      MANAGED_PATHS.compose,
    ),
    upCommand:
      composeFile === '.' ? 'docker compose up --build' : `docker compose -f ${shellWord(`${composeFile}/compose.yaml`)} up --build`,
    buildArgs: proxyBuildArgs(options.proxy, input.noProxy),
    netrcSecret: options.auth === 'token',
    ssh: options.auth === 'ssh',
    services: chosen.map((image) => ({
      name: image.tag,
      target: image.stageName,
      image: image.tag,
      ...(image.port !== undefined ? { port: image.port } : {}),
      ...(image.extraPorts ? { extraPorts: image.extraPorts } : {}),
    })),
  };
}
