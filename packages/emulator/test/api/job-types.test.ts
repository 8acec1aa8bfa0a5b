import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/index.js';

// HKube records how a job was started in its `types` (pipeline-semantics §7.2 G10 for debug).
describe('job types', () => {
  it('are raw, stored, and include debug when a node runs under a debugger', async () => {
    const emulator = await createEmulator({ debugAttachTimeoutMs: 50 });
    try {
      emulator.registerAlgorithm('echo', { start: ({ input }) => input });
      const pipeline = { name: 'typed', nodes: [{ nodeName: 'a', algorithmName: 'echo', input: [1] }] };
      const raw = emulator.runPipeline(pipeline);
      expect(raw.types).toEqual(['raw']);
      await raw.result;
      emulator.storePipeline(pipeline);
      const stored = emulator.runPipeline({ stored: 'typed' });
      expect(stored.types).toEqual(['stored']);
      await stored.result;
      const debugged = emulator.runPipeline({ ...pipeline, options: { debugOverride: ['a'] } });
      expect(debugged.types).toEqual(['raw', 'debug']);
      expect((await debugged.result).status).toBe('failed'); // nobody attached within 50 ms
    } finally {
      await emulator.close();
    }
  });
});
