import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator } from '@hkube-ts/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(here, file), 'utf8')) as Record<string, unknown>;

let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ baseDir: here });
  emulator.registerAlgorithm('objective', { path: 'objective.mjs' });
  emulator.storePipeline(await readJson('stored/objective.json'));
});

afterEach(async () => {
  await emulator.close();
});

describe('hyperparams-tuner', () => {
  it('finds x = 2 with the seeded Random sampler', async () => {
    const result = await emulator.run(await readJson('pipeline.json'));
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'tuner', algorithmName: 'tuning-hyperparamstuner', result: { x: 2 } }] });
  });

  it('finds x = 2 on the grid, running one objective job per grid point', async () => {
    const trials: string[] = [];
    emulator.registerAlgorithm('objective', { start: ({ input: [x] }) => (trials.push(String(x)), ((x as number) - 2) ** 2) });
    const result = await emulator.run(await readJson('pipeline.grid.json'));
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'tuner', result: { x: 2 } }] });
    expect(trials).toEqual(['1', '2', '3']);
  });
});
