import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { expectCompleted, FAST_STREAMING, streamPipeline } from './helpers.js';

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('JobHandle.edgeStatistics$', () => {
  it('emits the edge statistics as they change and completes when the job ends, after the final snapshot', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    emulator.registerAlgorithm('source', {
      start: async (_args, api) => {
        for (let i = 0; i < 20; i += 1) api.sendMessage(i);
        await released;
        return 'sent 20';
      },
    });
    emulator.registerAlgorithm('sink', { start: () => null });
    const job = emulator.runPipeline(streamPipeline('observed', { source: 'stateful', sink: 'stateless' }, { main: 'source >> sink' }));
    const everything = lastValueFrom(job.edgeStatistics$.pipe(toArray()));
    const answered = await firstValueFrom(job.edgeStatistics$.pipe(filter((edges) => edges[0]?.responses === 20)));
    expect(answered[0]).toMatchObject({ source: 'source', target: 'sink', sent: 20, queueSize: 0 });
    release();
    const snapshots = await everything;
    const result = await job.result;
    expectCompleted(result);
    expect(snapshots.length).toBeGreaterThan(1);
    expect(snapshots.at(-1)).toEqual(job.edgeStatistics());
    expect(snapshots.at(-1)?.[0]).toMatchObject({ sent: 20, responses: 20 });
    // A subscriber that comes after the end gets the final snapshot, then completes.
    expect(await lastValueFrom(job.edgeStatistics$.pipe(toArray()))).toEqual([job.edgeStatistics()]);
  });

  it('completes without a value for a batch job', async () => {
    emulator = await createEmulator();
    emulator.registerAlgorithm('echo', { start: ({ input }) => input[0] });
    const job = emulator.runPipeline({ name: 'batch', nodes: [{ nodeName: 'a', algorithmName: 'echo', input: [1] }] });
    expect(await lastValueFrom(job.edgeStatistics$.pipe(toArray()))).toEqual([]);
    expect(await job.result).toMatchObject({ status: 'completed' });
  });
});
