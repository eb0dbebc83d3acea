// Baseline skeletons: for each field, the Dockerfile shapes its valid samples produce. A hostile
// value that is accepted must produce one of these shapes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, SIMPLE_SERVICE } from '../helpers.js';
import { FIELDS, prepare, type Field } from './fields.js';
import { skeleton } from './oracle.js';

async function generatedSkeleton(setup: ReturnType<Field['make']>): Promise<string[]> {
  const run = prepare(setup!);
  const result = await runCli(run.argv, { cwd: run.cwd, ...(run.env ? { env: run.env } : {}) });
  if (result.code !== 0) throw new Error(`a baseline did not generate (${run.argv.join(' ')}): ${result.stderr}`);
  return skeleton(readFileSync(join(run.outDir ?? run.dir, 'Dockerfile'), 'utf8'));
}

export async function fieldBaselines(): Promise<Map<string, string[][]>> {
  const baselines = new Map<string, string[][]>();
  for (const field of FIELDS) {
    const skeletons: string[][] = [];
    for (const sample of field.samples) skeletons.push(await generatedSkeleton(field.make(sample)));
    // A main package go build cannot build is skipped, not imaged: the project without it.
    if (field.name === 'main package directory name') skeletons.push(await generatedSkeleton({ files: SIMPLE_SERVICE, argv: ['--yes'] }));
    baselines.set(field.name, skeletons);
  }
  return baselines;
}
