// The property run shared by the test and `npm run safety`: hostile values in every field,
// seeded; returns the tally and every wrong case with how to reproduce it.
import { FIELDS, prepare } from './fields.js';
import { hostileString, SECRET, seededRandom } from './hostile.js';
import { judge } from './oracle.js';

export interface PropertyResult {
  cases: number;
  refused: number;
  correct: number;
  wrong: { field: string; seed: number; caseNumber: number; value: string; detail: string }[];
}

export async function runProperty(
  seed: number,
  casesPerField: number,
  baselines: Map<string, string[][]>,
  fields = FIELDS.map((field) => field.name),
): Promise<PropertyResult> {
  const result: PropertyResult = { cases: 0, refused: 0, correct: 0, wrong: [] };
  for (const [index, field] of FIELDS.entries()) {
    if (!fields.includes(field.name)) continue;
    const fieldSeed = seed + index;
    const random = seededRandom(fieldSeed);
    for (let caseNumber = 0; caseNumber < casesPerField; caseNumber++) {
      const sample = field.samples[Math.floor(random() * field.samples.length)]!;
      const value = hostileString(random, sample);
      const setup = field.make(value);
      if (!setup) continue;
      const judgement = await judge({ ...prepare(setup), secrets: field.isPath ? [] : [SECRET], skeletons: baselines.get(field.name)! });
      result.cases++;
      if (judgement.verdict === 'wrong')
        result.wrong.push({ field: field.name, seed: fieldSeed, caseNumber, value, detail: judgement.detail });
      else result[judgement.verdict]++;
    }
  }
  return result;
}
