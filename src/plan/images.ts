// Image references: which image each choice means, and how a registry prefix rewrites them.
import type { Base } from '../options/model.js';

/** Debian 12 everywhere, so a cgo binary built on the golang image runs on the runtime image. */
export const DEBIAN_SUITE = 'bookworm';
export const ALPINE_VERSION = '3.22';

export function builderImage(goVersion: string, alpine: boolean): string {
  return alpine ? `golang:${goVersion}-alpine${ALPINE_VERSION}` : `golang:${goVersion}-${DEBIAN_SUITE}`;
}

export function runtimeImageFor(base: Base, cgoEnabled: boolean): string {
  switch (base) {
    case 'distroless':
      // static has no libc; a cgo binary needs base (glibc).
      return cgoEnabled ? 'gcr.io/distroless/base-debian12:nonroot' : 'gcr.io/distroless/static-debian12:nonroot';
    case 'alpine':
      return `alpine:${ALPINE_VERSION}`;
    case 'debian':
      return `debian:${DEBIAN_SUITE}-slim`;
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
export function throughRegistry(reference: string, prefix: string | undefined): string {
  if (!prefix || reference === 'scratch' || reference.startsWith(`${prefix}/`)) return reference;
  const image = parseImageName(reference);
  const path = image.registry === 'docker.io' ? image.path : `${image.registry}/${image.path}`;
  return `${prefix}/${path}${image.suffix}`;
}

/** Hosts that mainland China cannot reach without a mirror or a prefix. */
export function blockedInChina(reference: string): string | undefined {
  if (reference === 'scratch') return undefined;
  const registry = parseImageName(reference).registry;
  if (registry === 'docker.io') return 'Docker Hub';
  if (['gcr.io', 'k8s.gcr.io', 'ghcr.io', 'quay.io', 'registry.k8s.io'].includes(registry) || registry.endsWith('.gcr.io')) return registry;
  return undefined;
}

