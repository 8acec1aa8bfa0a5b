import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';

// What validation accepted with a remark reaches the user: on the job handle, and in the log for a
// sub-pipeline (whose handle nobody holds).
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const SINGULAR = 'node "a" uses "includeInResult": HKube only honours "includeInResults"; the emulator honours both';

describe('job warnings', () => {
  it('are on the job handle, empty for a pipeline without remarks', async () => {
    emulator = await createEmulator();
    emulator.registerAlgorithm('echo', { start: ({ input }) => input[0] });
    const clean = emulator.runPipeline({ name: 'clean', nodes: [{ nodeName: 'a', algorithmName: 'echo', input: [1] }] });
    expect(clean.warnings).toEqual([]);
    const singular = emulator.runPipeline({ name: 'singular', nodes: [{ nodeName: 'a', algorithmName: 'echo', input: [1], includeInResult: true }] });
    expect(singular.warnings).toEqual([SINGULAR]);
    await Promise.all([clean.result, singular.result]);
  });

  it('of a sub-pipeline go to the emulator\u2019s log, with the sub-pipeline\u2019s and the caller\u2019s job ids', async () => {
    const warnings: string[] = [];
    emulator = await createEmulator({ logger: { debug: () => undefined, info: () => undefined, warn: (message) => warnings.push(message), error: () => undefined } });
    emulator.registerAlgorithm('echo', { start: ({ input }) => input[0] });
    emulator.registerAlgorithm('caller', { start: (_args, api) => api.startRawSubpipeline('sub', [{ nodeName: 'a', algorithmName: 'echo', input: [7], includeInResult: true }]) });
    const job = emulator.runPipeline({ name: 'calling', nodes: [{ nodeName: 'c', algorithmName: 'caller', input: [] }] });
    expect(await job.result).toMatchObject({ status: 'completed', data: [{ result: [{ nodeName: 'a', result: 7 }] }] });
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^sub-pipeline job sub-\\w+ of job ${job.jobId}: `)) as unknown]);
    expect(warnings[0]?.endsWith(SINGULAR)).toBe(true);
  });
});
