// Image pins: every image the files name, written name:tag@digest when the answers pin it. A pin
// is keyed by the reference the files write (through --registry or the region's mirror, as
// Renovate and the registry see it), so the digest is the one that registry serves.
import { brandKnown, type ImageRef, type PinnedImage } from '../values/kinds.js';
import { imageRefProblem, pinKey } from '../values/network.js';

export interface PinsPlan {
  /** Every image the files name that a digest can pin, as they name it without one, sorted: what --refresh-pins resolves. */
  images: ImageRef[];
  /** Those the pins do not cover. */
  unpinned: ImageRef[];
  /** Pins for images the files no longer name (a newer Go, another base). */
  unused: PinnedImage[];
}

/** Whether a reference already names a digest (an exact --base-image): nothing to pin. */
function hasDigest(reference: string): boolean {
  return reference.includes('@');
}

/**
 * The pinning of one plan: `pin` writes each image with its digest when one is recorded, and
 * remembers every image it was asked about; `summary` says which were pinned.
 */
export function imagePinner(pins: readonly PinnedImage[]): { pin: (reference: string) => ImageRef; summary: () => PinsPlan } {
  const byKey = new Map(pins.map((pin) => [pinKey(pin), pin]));
  const named = new Set<string>();
  return {
    pin: (reference) => {
      if (hasDigest(reference)) return brandKnown<ImageRef>(reference, imageRefProblem);
      named.add(reference);
      return brandKnown<ImageRef>(byKey.get(reference) ?? reference, imageRefProblem);
    },
    summary: () => {
      const images = [...named].sort().map((reference) => brandKnown<ImageRef>(reference, imageRefProblem));
      return {
        images,
        unpinned: images.filter((reference) => !byKey.has(reference)),
        unused: pins.filter((pin) => !named.has(pinKey(pin))),
      };
    },
  };
}
