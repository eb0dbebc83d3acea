// compose.yaml (--compose): the images that serve, built as `docker build` builds them (same
// target, build args, secret or SSH agent) and run with their port and a restart policy, so
// `docker compose up --build` is the whole local loop.
import { sep } from 'node:path';
import { posixRelative } from '../io/paths.js';
import type { MainPackage } from '../detect/analyze.js';
import type { HealthProbe } from '../detect/health.js';
import type { Options } from '../options/model.js';
import type { CommandWord, ImagePath, RelativePath, SafeName } from '../values/kinds.js';
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
  services: ComposeService[];
}

interface ComposeService {
  name: SafeName;
  target: SafeName;
  image: SafeName;
  port?: number;
  extraPorts?: number[];
  /**
   * The binary probing itself: exec form, no shell (distroless and scratch have none, nor curl).
   * Only when the binary offers a probe; the timings are the template's.
   */
  healthcheck?: { command: ImagePath; argument: CommandWord; kind: HealthProbe['kind'] };
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
      ...(image.healthProbe ? { healthcheck: { command: image.binaryPath, ...image.healthProbe } } : {}),
    })),
  };
}

/**
 * Where each service's healthcheck comes from, or, for a service that serves an HTTP health
 * route but offers no probe, why it has none: a route is no check the image can run.
 */
export function healthNotes(compose: ComposePlan, images: readonly ImagePlan[], mains: readonly MainPackage[]): string[] {
  const notes: string[] = [];
  for (const service of compose.services) {
    const image = images.find((item) => item.tag === service.name);
    const main = mains.find((item) => item.packagePath === image?.packagePath);
    if (service.healthcheck && main?.healthProbe)
      notes.push(
        `compose.yaml: ${service.name}'s healthcheck runs ${service.healthcheck.command} ${service.healthcheck.argument} ` +
          `(${main.healthProbe.how}, ${main.healthProbe.where}).`,
      );
    else if (main?.healthRoute)
      notes.push(
        `compose.yaml: no healthcheck for ${service.name}: it serves ${main.healthRoute.route} (${main.healthRoute.where}), ` +
          'but nothing in its runtime image can request it; a healthcheck subcommand or --health flag that requests it and ' +
          'exits 0 or 1 would give it one.',
      );
  }
  return notes;
}
