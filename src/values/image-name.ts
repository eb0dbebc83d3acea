// An image reference split into registry, repository path and tag/digest, as docker reads it:
// a first element with a dot, a colon or "localhost" is a registry, else Docker Hub.

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
