import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { wrapperCommand } from '../support/built.js';
import { expectCompleted, FAST_STREAMING, registerTweetEnrichers, streamPipeline, tweetsPipeline } from './helpers.js';

// Nodes run as `node` processes under the real hkube-wrapper bin and stream to each other over ZeroMQ on
// 127.0.0.1; in-process nodes of the same job switch to ZeroMQ too, so mixed pipelines talk.

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const streaming = (name: string): ReturnType<typeof wrapperCommand> => wrapperCommand(join('streaming', name));

describe('stream pipelines across processes (ZeroMQ)', () => {
  it('F1: green (process) >> yellow (process, stateless) >> black (process): black counts {green: 50, yellow: 50}', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('green', streaming('green.mjs'));
    emulator.registerAlgorithm('yellow', streaming('forty-two.mjs'));
    emulator.registerAlgorithm('black', streaming('origin-counter.mjs'));
    // A stateful counter stands for F1's stateless black: a process's counts must come back as a result.
    const nodes = { green: 'stateful', yellow: 'stateless', black: { stateType: 'stateful', input: [100] } } as const;
    const result = await emulator.run(streamPipeline('f1-processes', nodes, { main: 'green >> yellow >> black', second: 'green >> black' }, 'main'));
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'black', algorithmName: 'black', result: { green: 50, yellow: 50 } }]);
  });

  it('F3: twitt and sort as processes, A and B in-process: evens reach A, odds reach B, all from sort', async () => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    emulator.registerAlgorithm('twitt', streaming('twitt.mjs'));
    emulator.registerAlgorithm('sort', streaming('sort.mjs'));
    const enrichers = registerTweetEnrichers(emulator);
    const job = emulator.runPipeline(tweetsPipeline);
    await enrichers.routed();
    expect(await job.stop()).toMatchObject({ status: 'stopped' });
  });
});
