// Image references: which image each choice means, and how a registry prefix rewrites them.
import { UsageError } from '../errors.js';
import type { Base } from '../options/model.js';
import type { GoVersion, ImageRef, RegistryPrefix } from '../values/kinds.js';

/** Debian 12 everywhere, so a cgo binary built on the golang image runs on the runtime image. */
export const DEBIAN_SUITE = 'bookworm';
export const ALPINE_VERSION = '3.22';

// Built from a checked GoVersion and our own constants: an image reference by construction.
export function builderImage(goVersion: GoVersion, alpine: boolean): ImageRef {
  return (alpine ? `golang:${goVersion}-alpine${ALPINE_VERSION}` : `golang:${goVersion}-${DEBIAN_SUITE}`) as ImageRef;
}

export function runtimeImageFor(base: Base, cgoEnabled: boolean): ImageRef | 'scratch' {
  switch (base) {
    case 'distroless':
      // static has no libc; a cgo binary needs base (glibc).
      return (cgoEnabled ? 'gcr.io/distroless/base-debian12:nonroot' : 'gcr.io/distroless/static-debian12:nonroot') as ImageRef;
    case 'alpine':
      return `alpine:${ALPINE_VERSION}` as ImageRef;
    case 'debian':
      return `debian:${DEBIAN_SUITE}-slim` as ImageRef;
    case 'scratch':
      return 'scratch';
  }
}

export interface ImageName {
  /** Registry host, "docker.io" when the reference names none. */
  registry: string;
  /** Repository path, with "library/" for Docker Hub official images. */
  path: string;
  /** ":tag" and/or "@digest", as written. */
  suffix: string;
}

export function parseImageName(reference: string): ImageName {
  const at = reference.indexOf('@');
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  const digest = at >= 0 ? reference.slice(at) : '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > lastSlash ? withoutDigest.slice(colon) : '';
  const name = colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? name.slice(first.length + 1) : name;
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { registry, path, suffix: tag + digest };
}

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
    throw new UsageError(`${reference}: its registry ${image.registry} has a port, which cannot become a path under the registry prefix ${prefix}; give the full mirrored name with --base-image instead of --registry.`);
  }
  const path = image.registry === 'docker.io' ? image.path : `${image.registry}/${image.path}`;
  // A checked prefix, then path components of a checked reference: a reference again.
  return `${prefix}/${path}${image.suffix}` as ImageRef;
}

/** Hosts that mainland China cannot reach without a mirror or a prefix. */
export function blockedInChina(reference: string): string | undefined {
  if (reference === 'scratch') return undefined;
  const registry = parseImageName(reference).registry;
  if (registry === 'docker.io') return 'Docker Hub';
  if (['gcr.io', 'k8s.gcr.io', 'ghcr.io', 'quay.io', 'registry.k8s.io'].includes(registry) || registry.endsWith('.gcr.io')) return registry;
  return undefined;
}

