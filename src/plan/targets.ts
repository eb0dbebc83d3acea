// Which main packages become images, and which one is the default, from the ranking
// (detect/ranking.ts): examples, test helpers, dev scripts and generators are not images unless
// asked for (--main).
import type { MainPackage } from '../detect/analyze.js';
import { ROLE_WORDS, type RankedMain } from '../detect/ranking.js';

export type { RankedMain } from '../detect/ranking.js';

export interface Targets {
  /** The default image's main. */
  chosen: RankedMain;
  /** Every main that gets an image (the default included), best first. */
  images: RankedMain[];
  /** Mains left out of the images, with why. */
  left: { main: MainPackage; why: string }[];
  /** Set when the choice was not obvious: the line to print. */
  ambiguity?: string;
}

/**
 * The images: every main whose role is "main" (or, when there is none, every main), plus the
 * one --main names; the default is --main, else the best ranked.
 */
export function chooseTargets(ranked: readonly RankedMain[], mainPackage: string | undefined): Targets {
  const products = ranked.filter((item) => item.product);
  const pool = products.length > 0 ? products : [...ranked];
  const asked = mainPackage === undefined ? undefined : ranked.find((item) => item.main.packagePath === mainPackage);
  const chosen = asked ?? pool[0]!;
  const images = [chosen, ...pool.filter((item) => item !== chosen)];
  const left = ranked
    .filter((item) => !images.includes(item))
    .map((item) => ({ main: item.main, why: item.main.role === 'main' ? 'not chosen' : ROLE_WORDS[item.main.role] }));
  const targets: Targets = { chosen, images, left };
  const runnerUp = pool.find((item) => item !== chosen);
  if (!asked && runnerUp && chosen.score - runnerUp.score < 25) {
    const others = images.slice(1).map((item) => item.main.packagePath);
    targets.ambiguity =
      `default image ${chosen.main.packagePath} ` +
      `(${chosen.reasons.join(', ') || 'first in path order'}); ${others.length === 1 ? 'also an image' : 'also images'}: ` +
      `${others.join(', ')}; choose the default with --main.`;
  }
  return targets;
}
