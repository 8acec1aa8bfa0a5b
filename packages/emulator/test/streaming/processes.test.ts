import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type AlgorithmOptions, type Emulator } from '../../src/index.js';
import { FIXTURES, wrapperCommand } from '../support/built.js';
import { expectCompleted, FAST_STREAMING, registerTweetEnrichers, streamPipeline, tweetsPipeline } from './helpers.js';

// Nodes run as `node` processes under the real hkube-wrapper bin and stream to each other over ZeroMQ on
// 127.0.0.1; in-process nodes of the same job switch to ZeroMQ too, so mixed pipelines talk. Each case
// below runs its fixture modules three ways (all in-process, all processes, mixed) with one expectation.
// F4 and F5 check descriptor validation only (no message moves), so they have no process variant.

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const streaming = (name: string): ReturnType<typeof wrapperCommand> => wrapperCommand(join('streaming', name));

/** A §7.2 F case: each node runs the fixture module of its algorithm, in-process or as a process. */
interface StreamCase {
  readonly title: string;
  /** Algorithm name (the node's own name) to its fixture in `fixtures/streaming/`. */
  readonly algorithms: Readonly<Record<string, { readonly fixture: string; readonly options?: AlgorithmOptions }>>;
  readonly pipeline: Record<string, unknown>;
  /** The nodes that run as processes in the mixed variant (the others run in-process). */
  readonly mixed: readonly string[];
  /** The completed job's `data`. */
  readonly data: unknown;
}

const F2_MESSAGES = 30;

const cases: readonly StreamCase[] = [
  {
    title: 'F1: green >> yellow (stateless) >> black, and green >> black: black counts {green: 50, yellow: 50}',
    algorithms: { green: { fixture: 'green.mjs' }, yellow: { fixture: 'forty-two.mjs' }, black: { fixture: 'origin-counter.mjs' } },
    // A stateful counter stands for F1's stateless black: a process's counts must come back as a result.
    pipeline: streamPipeline('f1', { green: 'stateful', yellow: 'stateless', black: { stateType: 'stateful', input: [100] } }, { main: 'green >> yellow >> black', second: 'green >> black' }, 'main'),
    mixed: ['green', 'black'],
    data: [{ nodeName: 'black', algorithmName: 'black', result: { green: 50, yellow: 50 } }],
  },
  {
    title: 'F2: stateful green >> yellow >> black: yellow forwards without a flow name, black gets every message',
    algorithms: { green: { fixture: 'twitt.mjs' }, yellow: { fixture: 'forwarder.mjs' }, black: { fixture: 'collector.mjs' } },
    pipeline: streamPipeline('f2', { green: { stateType: 'stateful', input: [F2_MESSAGES] }, yellow: 'stateful', black: { stateType: 'stateful', input: [F2_MESSAGES] } }, { main: 'green >> yellow >> black' }),
    mixed: ['green', 'black'],
    data: [
      {
        nodeName: 'black',
        algorithmName: 'black',
        result: Array.from({ length: F2_MESSAGES }, (_, i) => ({ message: { forwarded: { id: i + 1, text: `tweet ${i + 1}` } }, origin: 'yellow' })),
      },
    ],
  },
  {
    title: 'F6: a stateful source returning from start completes the job with its result',
    // The source's state type comes from its algorithm (HKube's default for nodes without one).
    algorithms: { source: { fixture: 'returns-done.mjs', options: { stateType: 'stateful' } }, sink: { fixture: 'forty-two.mjs' } },
    pipeline: streamPipeline('f6', { source: {}, sink: { stateType: 'stateless', minStatelessCount: 1 } }, { main: 'source >> sink' }),
    mixed: ['source'],
    data: [{ nodeName: 'source', algorithmName: 'source', result: { done: true } }],
  },
  {
    title: 'F7 and F8: a message on a flow without a step for its sender is dropped; a sink cannot send',
    algorithms: { source: { fixture: 'two-flows-source.mjs' }, sink: { fixture: 'sending-sink.mjs' }, other: { fixture: 'idle.mjs' } },
    pipeline: streamPipeline('f7-f8', { source: 'stateful', sink: { stateType: 'stateful', input: [3] }, other: 'stateful' }, { main: 'source >> sink', elsewhere: 'other >> sink' }, 'main'),
    mixed: ['sink'],
    data: [
      {
        nodeName: 'sink',
        algorithmName: 'sink',
        // The 5 messages on "elsewhere" were sent first: had any reached the sink, it would have seen them.
        result: { seen: [{ kept: 0 }, { kept: 1 }, { kept: 2 }], error: 'Trying to send a message from a none stream pipeline or after close had been applied on algorithm' },
      },
    ],
  },
];

/** Where each node of a case runs. */
const placements: readonly (readonly [string, (node: string, stream: StreamCase) => boolean])[] = [
  ['all in-process', () => false],
  ['all processes', () => true],
  ['mixed', (node, stream) => stream.mixed.includes(node)],
];

describe.each(placements)('stream pipelines, %s (pipeline-semantics §7.2 F)', (_placement, asProcess) => {
  it.each(cases.map((stream) => [stream.title, stream] as const))('%s', async (_title, stream) => {
    emulator = await createEmulator({ streaming: FAST_STREAMING });
    for (const [name, { fixture, options }] of Object.entries(stream.algorithms)) {
      const source = asProcess(name, stream) ? streaming(fixture) : { path: join(FIXTURES, 'streaming', fixture) };
      emulator.registerAlgorithm(name, source, options);
    }
    const result = await emulator.run(stream.pipeline);
    expectCompleted(result);
    expect(result.data).toEqual(stream.data);
  });
});

describe('stream pipelines across processes (ZeroMQ)', () => {
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
