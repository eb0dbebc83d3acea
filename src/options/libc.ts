// Which C library a runtime image has: the one answer that the options check (a cgo binary on an
// image without one is refused), the plan (a cgo binary for a musl image is built on Alpine) and
// doctor (GCD026, GCD027) share. Nothing is pulled to look inside an image: its name decides,
// from the table below. An image the table does not know is taken to be like the base family
// it was chosen with, and the run says so (checkOptions' warning).
import type { Project } from '../detect/project.js';
import { parseImageName } from '../values/image-name.js';
import type { Base, Options } from './model.js';

export type Libc = 'none' | 'glibc' | 'musl';

interface ImageParts {
  /** The repository path (mirror prefixes included), e.g. "proxy/gcr.io/distroless/static-debian12". */
  path: string;
  /** Its last element, e.g. "static-debian12". */
  repository: string;
  /** The tag without ":", "" when none. */
  tag: string;
}

interface LibcEntry {
  /** How a message names the entry. */
  name: string;
  libc: Libc;
  matches: (image: ImageParts) => boolean;
}

/** Distributions built on glibc, by repository name (Docker Hub official images and Red Hat's UBI). */
const GLIBC_DISTRIBUTIONS = [
  'debian',
  'ubuntu',
  'fedora',
  'centos',
  'rockylinux',
  'almalinux',
  'amazonlinux',
  'oraclelinux',
  'archlinux',
  'photon',
  'ubi8',
  'ubi9',
  'ubi-minimal',
  'ubi8-minimal',
  'ubi9-minimal',
  'ubi-micro',
  'buildpack-deps',
];

// First match wins: the specific images before the naming conventions.
const RUNTIME_LIBC: readonly LibcEntry[] = [
  // The static images carry CA certificates, tzdata and a passwd file, and deliberately no libc.
  { name: 'distroless static', libc: 'none', matches: (image) => /(^|\/)distroless\/static(-debian\d+)?$/.test(image.path) },
  { name: 'Chainguard static', libc: 'none', matches: (image) => /(^|\/)chainguard\/static$/.test(image.path) },
  // distroless base is static plus glibc; cc adds libgcc; the language images are built on cc.
  {
    name: 'distroless base',
    libc: 'glibc',
    matches: (image) => /(^|\/)distroless\/(base|base-nossl|cc|java\d*|python3|nodejs\d*)(-debian\d+)?$/.test(image.path),
  },
  {
    name: 'Chainguard glibc',
    libc: 'glibc',
    matches: (image) => /(^|\/)(chainguard\/(glibc-dynamic|wolfi-base)|wolfi-base)$/.test(image.path),
  },
  // musl, not glibc: a cgo binary linked on a Debian builder does not start there.
  { name: 'Alpine', libc: 'musl', matches: (image) => image.repository === 'alpine' || /(^|-)alpine/.test(image.tag) },
  {
    name: 'a glibc distribution',
    libc: 'glibc',
    matches: (image) =>
      GLIBC_DISTRIBUTIONS.includes(image.repository) || /(^|-)(bookworm|bullseye|trixie|jammy|noble|focal)(-|$)/.test(image.tag),
  },
  // The convention distroless and Chainguard follow: an image named "static" has no C library
  // (e.g. registry.corp.example/base/static:1, a company's copy of distroless static).
  { name: 'an image named static', libc: 'none', matches: (image) => /^static($|-)|-static$/.test(image.repository) },
];

/**
 * The C library of each base family's runtime image for a cgo binary: plan/images.ts
 * (runtimeImageFor) picks distroless base (glibc) then, never distroless static.
 */
export const BASE_LIBC: Record<Base, Libc> = { distroless: 'glibc', alpine: 'musl', scratch: 'none', debian: 'glibc' };

/** What the table says about an image reference, or undefined when it does not know it. */
export function imageLibc(reference: string): { libc: Libc; entry: string } | undefined {
  if (reference === 'scratch') return { libc: 'none', entry: 'the empty image' };
  // A FROM line may hold a build argument (${RUNTIME_IMAGE}): nothing to tell from its name.
  if (reference.includes('$')) return undefined;
  const { path, suffix } = parseImageName(reference);
  const image: ImageParts = { path, repository: path.split('/').at(-1)!, tag: /^:([^@]*)/.exec(suffix)?.[1] ?? '' };
  const entry = RUNTIME_LIBC.find((candidate) => candidate.matches(image));
  return entry ? { libc: entry.libc, entry: entry.name } : undefined;
}

export interface RuntimeLibc {
  libc: Libc;
  /** Why we say so: the table's entry, or the family an unknown image is taken to be like. */
  basis: string;
  /** The image is not in the table: its libc is the family's, an assumption the run names. */
  assumed: boolean;
}

/** The C library the runtime the options choose has (for a cgo binary). */
export function runtimeLibc(options: Pick<Options, 'base' | 'baseImage'>): RuntimeLibc {
  if (options.baseImage === undefined) return { libc: BASE_LIBC[options.base], basis: `base ${options.base}`, assumed: false };
  const known = imageLibc(options.baseImage);
  if (known) return { libc: known.libc, basis: known.entry, assumed: false };
  return { libc: BASE_LIBC[options.base], basis: `like base ${options.base}`, assumed: true };
}

/** Whether the options build with cgo: on, or auto with code that needs it. */
export function cgoNeeded(options: Pick<Options, 'cgo'>, project: Pick<Project, 'cgoReasons'>): boolean {
  return options.cgo === 'on' || (options.cgo === 'auto' && project.cgoReasons.length > 0);
}
