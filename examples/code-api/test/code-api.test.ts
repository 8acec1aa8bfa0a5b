import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator, type TaskEvent } from '@hkube-ts/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as Record<string, unknown>;

let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ baseDir: here });
  emulator.registerAlgorithm('squares', { path: 'squares.mjs' });
  emulator.registerAlgorithm('square', { path: 'square.mjs' });
});

afterEach(async () => {
  await emulator.close();
});

describe('code-api', () => {
  it('squares every number through api.startAlgorithm; only the caller is in the results', async () => {
    const children: TaskEvent[] = [];
    const result = await emulator.run(pipeline, { onTaskEvent: (event) => event.nodeName === 'squares:square' && children.push(event) });
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'squares', algorithmName: 'squares', result: { squares: [1, 4, 9, 16], total: 30 } }] });
    expect(result.status === 'completed' && result.data).toHaveLength(1);
    expect(children.filter((event) => event.status === 'succeed')).toHaveLength(4);
  });

  it('runs on another flowInput', async () => {
    const result = await emulator.run(pipeline, { flowInput: { numbers: [10, 20] } });
    expect(result).toMatchObject({ status: 'completed', data: [{ result: { squares: [100, 400], total: 500 } }] });
  });
});
