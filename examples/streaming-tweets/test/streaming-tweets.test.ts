import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { createEmulator, type Emulator } from '@hkube-ts/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as Record<string, unknown>;

let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ baseDir: here, streaming: { statisticsIntervalMs: 100, autoscaleIntervalMs: 50 } });
  for (const name of ['twitt', 'sort', 'analyze', 'archive']) emulator.registerAlgorithm(name, { path: `${name}.mjs` });
});

afterEach(async () => {
  await emulator.close();
});

describe('streaming-tweets', () => {
  it('routes even tweets to A and the others to B, and completes when sort has routed them all', async () => {
    const job = emulator.runPipeline(pipeline);
    const result = await job.result;
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'sort', algorithmName: 'sort', result: { analyze: 10, master: 10 } }] });
    // The flows of HKube's streaming docs give these three edges.
    expect(job.edgeStatistics().map((edge) => `${edge.source} >> ${edge.target}`)).toEqual(['sort >> A', 'twitt >> sort', 'sort >> B']);
  });

  it('routes any number of tweets', async () => {
    const result = await emulator.run(pipeline, { flowInput: { count: 7 } });
    expect(result).toMatchObject({ status: 'completed', data: [{ result: { analyze: 3, master: 4 } }] });
  });
});
