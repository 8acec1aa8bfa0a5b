import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '@hkube-ts/emulator';
import { describe, expect, it } from 'vitest';

// HKube's "output node" system test (pipeline-semantics §5.1): the output node returns its input,
// named `<pipeline>-output`, and the other sinks stay in the result.
const here = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('output node', () => {
  it('collects its parents’ outputs as the pipeline’s output', async () => {
    const emulator = await createEmulator({ baseDir: here });
    try {
      emulator.registerAlgorithm('pick', { path: './pick.mjs' });
      const pipeline = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as Record<string, unknown>;
      const result = await emulator.run(pipeline);
      expect(result.status).toBe('completed');
      const data = result.status === 'completed' ? result.data : [];
      expect(data.map((entry) => entry.nodeName)).toEqual(['black', 'output']);
      expect(data[1]).toEqual({ nodeName: 'output', algorithmName: 'outputPipe-output', result: ['yellow-input', 42] });
    } finally {
      await emulator.close();
    }
  });

  it('is rejected with HKube’s message when it has children', async () => {
    const emulator = await createEmulator();
    try {
      emulator.registerAlgorithm('pick', { start: ({ input }) => input[0] });
      expect(() =>
        emulator.runPipeline({
          name: 'bad-output',
          nodes: [
            { nodeName: 'a', algorithmName: 'pick', input: [1] },
            { nodeName: 'out', kind: 'output', input: ['@a'] },
            { nodeName: 'c', algorithmName: 'pick', input: ['@out'] },
          ],
        }),
      ).toThrow('node "out" should not have child nodes');
    } finally {
      await emulator.close();
    }
  });
});
