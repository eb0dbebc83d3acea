// Image references: which image each choice means, which golang tag exists for a Go version, and
// how a registry prefix rewrites them.
import { compareGoVersions } from '../detect/gomod.js';
import { UsageError } from '../errors.js';
import type { Base } from '../options/model.js';
import { REGION_DEFAULTS } from '../options/regions.js';
import { parseImageName } from '../values/image-name.js';
import { brandKnown, brandOr, brandValid, goVersionProblem, type GoVersion, type ImageRef, type RegistryPrefix } from '../values/kinds.js';
import { imageRefProblem } from '../values/network.js';

/**
 * What docker-library/golang publishes, checked 2026-11 (its library/golang file): Go 1.27 is
 * the newest release and 1.26 the oldest still supported; both have -bookworm, -trixie,
 * -alpine3.23 and -alpine3.24 variants. Bookworm variants exist from Go 1.20 on. Keep current
 * with each Go release (every six months).
 */
const GO_RELEASES = { oldestSupported: '1.26', newest: '1.27', firstWithBookworm: '1.20' } as const;
/** Debian 12 everywhere, so a cgo binary built on the golang image runs on the runtime image. */
const DEBIAN_SUITE = 'bookworm';
const ALPINE_VERSION = '3.23';

/** The runtime's user: non-root and numeric, so Kubernetes runAsNonRoot can verify it. */
export const RUNTIME_UID = 65532;
export const RUNTIME_USER = `${RUNTIME_UID}:${RUNTIME_UID}`;

export interface BuilderVersion {
  /** The golang tag's version: a minor ("1.26", newest patch) or a pinned release ("1.26.8"). */
  tag: string;
  /** Whether the tag has a published -bookworm/-alpine variant. */
  hasVariants: boolean;
  /** Why the version differs from what the project says, for a note. */
  note?: string;
}

function minorOf(version: string): string {
  return /^(\d+\.\d+)/.exec(version)?.[1] ?? version;
}

/**
 * The builder's golang version. A go line is a minimum, not a build version: it gives the
 * newest patch of its minor (the floating minor tag), never an unpatched .0. A toolchain line
 * or .go-version pins a release. Anything older than the oldest supported minor is raised to
 * it (newer Go builds older code; go.mod's go line still sets the language version). A version
 * given with --go or in .go-docker.yaml is used as given.
 */
export function builderVersion(version: GoVersion, source: 'go line' | 'toolchain line' | '.go-version' | 'chosen'): BuilderVersion {
  const minor = minorOf(version);
  const hasVariants = compareGoVersions(minor, GO_RELEASES.firstWithBookworm) >= 0;
  if (source === 'chosen') return { tag: version, hasVariants };
  if (compareGoVersions(minor, GO_RELEASES.oldestSupported) < 0) {
    return {
      tag: GO_RELEASES.oldestSupported,
      hasVariants: true,
      note:
        `the ${source} says Go ${version}, which is no longer supported; the builder uses ` +
        `golang:${GO_RELEASES.oldestSupported}, the oldest supported release (go.mod's go line still sets the language version).`,
    };
  }
  const tag = source === 'go line' ? minor : version;
  if (compareGoVersions(minor, GO_RELEASES.newest) > 0) {
    // The project asks for a Go newer than our table: use it (nothing older builds the module), and say so.
    return {
      tag,
      hasVariants,
      note:
        `the ${source} says Go ${version}, newer than the newest release create-go-docker knows ` +
        `(${GO_RELEASES.newest}); the builder is golang:${tag}, which fails at its FROM line until that release is published ` +
        `(update create-go-docker, or pin a published version with --go).`,
    };
  }
  return { tag, hasVariants };
}

/** Built from a checked GoVersion and our own constants: an image reference by construction, checked all the same. */
export function builderImage(builder: BuilderVersion, alpine: boolean): ImageRef {
  if (!builder.hasVariants) return imageRef(`golang:${builder.tag}`);
  return imageRef(alpine ? `golang:${builder.tag}-alpine${ALPINE_VERSION}` : `golang:${builder.tag}-${DEBIAN_SUITE}`);
}

function imageRef(reference: string): ImageRef {
  return brandKnown<ImageRef>(reference, imageRefProblem);
}

/**
 * The golang image generate writes for a go.mod: from its toolchain line, else its go line (the
 * lines as detectedGoVersion reads them), Debian's variant as for every build but a musl cgo one.
 * doctor advises this image, so the two never name different ones.
 */
export function golangImageForGoMod(goMod: { goVersion?: string; toolchain?: string }): string {
  const [toolchain] = brandValid<GoVersion>(goMod.toolchain ? [goMod.toolchain] : [], goVersionProblem);
  if (toolchain) return builderImage(builderVersion(toolchain, 'toolchain line'), false);
  const [goLine] = brandValid<GoVersion>(goMod.goVersion ? [goMod.goVersion] : [], goVersionProblem);
  if (goLine) return builderImage(builderVersion(goLine, 'go line'), false);
  // No go line (or none generate could read), which generate refuses ("add go 1.xx"): the name with that placeholder.
  return `golang:1.xx-${DEBIAN_SUITE}`;
}

export function runtimeImageFor(base: Base, cgoEnabled: boolean): ImageRef | 'scratch' {
  switch (base) {
    case 'distroless':
      // static has no libc; a cgo binary needs base (glibc).
      return imageRef(cgoEnabled ? 'gcr.io/distroless/base-debian12:nonroot' : 'gcr.io/distroless/static-debian12:nonroot');
    case 'alpine':
      return imageRef(`alpine:${ALPINE_VERSION}`);
    case 'debian':
      return imageRef(`debian:${DEBIAN_SUITE}-slim`);
    case 'scratch':
      return 'scratch';
  }
}

/**
 * The working directory a base's runtime stage starts the binary in (its image's WorkingDir; our
 * runtime stages set none): distroless's nonroot images use /home/nonroot, the others /.
 */
export function runtimeWorkdir(base: Base): string {
  return base === 'distroless' ? '/home/nonroot' : '/';
}

/** The runtime images --cgo auto picks for a cgo binary: each region's (options/regions.ts), global's first. */
export function cgoRuntimeImages(): string[] {
  return [...new Set(Object.values(REGION_DEFAULTS).map((region) => region.cgoBase))].map((base) => runtimeImageFor(base, true));
}

// Image names are read the same way by the plan, the options check (which C library a runtime
// image has) and doctor: one parser, in values/.
export { parseImageName } from '../values/image-name.js';

/**
 * Pulls an image through a registry prefix. Docker Hub images keep their path
 * (PREFIX/library/golang:1.26), images from other registries keep their host as the first
 * path element (PREFIX/gcr.io/distroless/static-debian12), so one prefix can front several
 * upstreams without two images colliding.
 */
export function throughRegistry(reference: ImageRef, prefix: RegistryPrefix | undefined): ImageRef {
  if (!prefix || reference.startsWith(`${prefix}/`)) return reference;
  const image = parseImageName(reference);
  if (image.registry.includes(':') || image.registry.startsWith('[')) {
    throw new UsageError(
      `${reference}: its registry ${image.registry} has a port, which cannot become a path under the registry prefix ` +
        `${prefix}; give the full mirrored name with --base-image instead of --registry.`,
    );
  }
  const path = image.registry === 'docker.io' ? image.path : `${image.registry}/${image.path}`;
  const mirrored = `${prefix}/${path}${image.suffix}`;
  return brandOr<ImageRef>(mirrored, imageRefProblem, (problem) => {
    throw new UsageError(
      `${reference}: through the registry prefix it becomes ${mirrored} (${problem}); give the full mirrored name with --base-image.`,
    );
  });
}

/** Hosts that mainland China cannot reach without a mirror or a prefix. */
export function blockedInChina(reference: string): string | undefined {
  if (reference === 'scratch') return undefined;
  const registry = parseImageName(reference).registry;
  if (registry === 'docker.io') return 'Docker Hub';
  if (['gcr.io', 'k8s.gcr.io', 'ghcr.io', 'quay.io', 'registry.k8s.io'].includes(registry) || registry.endsWith('.gcr.io')) return registry;
  return undefined;
}
