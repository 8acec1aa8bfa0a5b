import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { FAST_STREAMING, streamPipeline, untilStopped } from './helpers.js';

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('autoscaling of a stateless node (data-plane §4.5)', () => {
  it('adds replicas up to maxStatelessCount for a backlog, shares the queue among them, and scales back to 0 when idle', async () => {
    // With W = 0.1 s instead of 30 s, a backlog of 150 messages of 10 ms each needs many replicas.
    emulator = await createEmulator({ streaming: { ...FAST_STREAMING, autoscale: { windowSeconds: 0.1 } } });
    const handled: number[] = [];
    emulator.registerAlgorithm('burst', {
      start: async ({ signal }, api) => {
        for (let i = 0; i < 150; i += 1) api.sendMessage(i);
        await untilStopped(signal);
      },
    });
    emulator.registerAlgorithm('slow', {
      start: async ({ streamInput }) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        handled.push(streamInput!.message as number);
        return null;
      },
    });
    const job = emulator.runPipeline(streamPipeline('scaling', { burst: 'stateful', slow: { stateType: 'stateless', maxStatelessCount: 3 } }, { main: 'burst >> slow' }));
    let most = 0;
    let drained = false;
    for await (const [edge] of job.edgeStatisticsUpdates) {
      most = Math.max(most, edge?.replicas ?? 0);
      if (edge?.responses === 150) drained = true;
      if (drained && edge?.replicas === 0) break;
    }
    expect(most).toBe(3);
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(job.edgeStatistics()[0]).toMatchObject({ sent: 150, responses: 150, queueSize: 0, replicas: 0 });
    await job.stop();
  });
});
