import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { createEmulator, type Emulator } from '@hkube-ts/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as Record<string, unknown>;

let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ baseDir: here });
  emulator.registerAlgorithm('double', { path: 'double.mjs' });
  emulator.registerAlgorithm('sum', { path: 'sum.mjs' });
});

afterEach(async () => {
  await emulator.close();
});

describe('pipeline-basics', () => {
  it('doubles every number, then sums them', async () => {
    const result = await emulator.run(pipeline);
    expect(result).toMatchObject({ status: 'completed', pipeline: 'pipeline-basics', data: [{ nodeName: 'sum', algorithmName: 'sum', result: 30 }] });
  });

  it('runs on another flowInput', async () => {
    const result = await emulator.run(pipeline, { flowInput: { numbers: [10, 20] } });
    expect(result).toMatchObject({ status: 'completed', data: [{ result: 60 }] });
  });

  it('skips double and sums nothing when there are no numbers', async () => {
    const result = await emulator.run(pipeline, { flowInput: { numbers: [] } });
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'sum', result: 0 }] });
  });
});
