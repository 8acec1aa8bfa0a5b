import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCodec } from '@hkube-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CachedJobNotFoundError, createEmulator, jobRecordPath, RunFromNodeNotAllowedError, type Emulator, type JobRecord, type JobResult,
} from '../../src/index.js';
import { planRunFromNode } from '../../src/nodes/caching/index.js';
import { echo, fromInput } from '../support/algorithms.js';

// Run from node (pipeline-semantics §5.3, §7.2 G7/G8): the nodes outside the subtree do not run again.
const chain = {
  name: 'chain',
  nodes: [
    { nodeName: 'A', algorithmName: 'algo-a', input: ['@flowInput.x'] },
    { nodeName: 'B', algorithmName: 'algo-b', input: ['@A'] },
    { nodeName: 'C', algorithmName: 'algo-c', input: ['@B', '@A'] },
  ],
  flowInput: { x: 4 },
};

let dir: string;
let emulators: Emulator[];
let counts: Map<string, number>;

function counted(name: string, run: (input: unknown[]) => unknown): Parameters<Emulator['registerAlgorithm']>[1] {
  return fromInput((input) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return run(input);
  });
}

async function open(factor: number): Promise<Emulator> {
  const emulator = await createEmulator({ storage: { dir } });
  emulators.push(emulator);
  emulator.registerAlgorithm('algo-a', counted('A', ([x]) => (x as number) + 1));
  emulator.registerAlgorithm('algo-b', counted('B', ([a]) => (a as number) * factor));
  emulator.registerAlgorithm('algo-c', counted('C', (input) => input));
  emulator.registerAlgorithm('echo', echo);
  return emulator;
}

function data(result: JobResult): unknown {
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return result.data;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-caching-'));
  emulators = [];
  counts = new Map();
});

afterEach(async () => {
  for (const emulator of emulators) await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runFromNode', () => {
  it('re-runs B and C of a job kept in a directory with a changed B; A is read from storage', async () => {
    const first = await (await open(10)).run(chain, { jobId: 'first' });
    expect(data(first)).toEqual([{ nodeName: 'C', algorithmName: 'algo-c', result: [50, 5] }]);
    counts.clear();

    const emulator = await open(100);
    const handle = await emulator.runFromNode({ jobId: 'first', nodeName: 'B' }, { jobId: 'second' });
    expect(handle.pipelineName).toBe('chain-B');
    expect(data(await handle.result)).toEqual([{ nodeName: 'C', algorithmName: 'algo-c', result: [500, 5] }]);
    expect(Object.fromEntries(counts)).toEqual({ B: 1, C: 1 });
  });

  it('chains re-runs: a re-run of a re-run reads the outputs where they were first written', async () => {
    await (await open(10)).run(chain, { jobId: 'first' });
    const emulator = await open(100);
    await (await emulator.runFromNode({ jobId: 'first', nodeName: 'B' }, { jobId: 'second' })).result;
    counts.clear();
    const third = await (await emulator.runFromNode({ jobId: 'second', nodeName: 'C' }, { jobId: 'third' })).result;
    expect(data(third)).toEqual([{ nodeName: 'C', algorithmName: 'algo-c', result: [500, 5] }]);
    expect(Object.fromEntries(counts)).toEqual({ C: 1 });
    const record = await readRecord(emulator, 'third');
    expect(record).toMatchObject({ jobId: 'third', rootJobId: 'first', status: 'completed' });
    expect(record.nodes['A']?.[0]).toMatchObject({ status: 'succeed', path: expect.stringMatching(/^local-hkube\/first\//) as unknown });
    expect(record.nodes['B']?.[0]).toMatchObject({ status: 'succeed', path: expect.stringMatching(/^local-hkube\/second\//) as unknown });
  });

  it('keeps batch items in order and runs a node whose algorithm only cached nodes used', async () => {
    const batch = {
      name: 'batch',
      nodes: [
        { nodeName: 'A', algorithmName: 'algo-a', input: ['#@flowInput.list'] },
        { nodeName: 'B', algorithmName: 'echo', input: ['@A'] },
      ],
      flowInput: { list: [1, 2, 3] },
    };
    const emulator = await open(1);
    await emulator.run(batch, { jobId: 'batch-1' });
    const other = await createEmulator({ storage: { dir } });
    emulators.push(other);
    other.registerAlgorithm('echo', echo);
    const result = await (await other.runFromNode({ jobId: 'batch-1', nodeName: 'B' })).result;
    expect(data(result)).toEqual([{ nodeName: 'B', algorithmName: 'echo', result: [[2, 3, 4]] }]);
  });

  it('works in memory within one emulator', async () => {
    const emulator = await createEmulator();
    emulators.push(emulator);
    emulator.registerAlgorithm('algo-a', counted('A', ([x]) => (x as number) + 1));
    emulator.registerAlgorithm('algo-b', counted('B', ([a]) => a));
    emulator.registerAlgorithm('algo-c', counted('C', (input) => input));
    await emulator.run(chain, { jobId: 'mem' });
    const result = await (await emulator.runFromNode({ jobId: 'mem', nodeName: 'C' })).result;
    expect(data(result)).toEqual([{ nodeName: 'C', algorithmName: 'algo-c', result: [5, 5] }]);
    expect(Object.fromEntries(counts)).toEqual({ A: 1, B: 1, C: 2 });
  });

  it('G8: an unknown job is `unable to find pipeline <jobId>`', async () => {
    const emulator = await open(1);
    const error = await emulator.runFromNode({ jobId: 'stam-job', nodeName: 'B' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CachedJobNotFoundError);
    expect(error).toMatchObject({ code: 'CACHED_JOB_NOT_FOUND', message: 'unable to find pipeline stam-job' });
  });

  it('G8: a stream pipeline is refused', () => {
    const record: JobRecord = { version: 1, jobId: 'stream-job', status: 'completed', descriptor: { ...chain, kind: 'stream' }, nodes: {} };
    expect(() => planRunFromNode(record, 'B')).toThrow('run node is not allowed in stream pipeline');
  });

  it('G7: a pipeline with a wait-any relation is refused', async () => {
    const emulator = await open(1);
    await emulator.run({
      name: 'any',
      nodes: [
        { nodeName: 'one', algorithmName: 'echo', input: ['#[1,2]'] },
        { nodeName: 'two', algorithmName: 'echo', input: ['@one'] },
        { nodeName: 'three', algorithmName: 'echo', input: ['*@one'] },
      ],
    }, { jobId: 'any-job' });
    const error = await emulator.runFromNode({ jobId: 'any-job', nodeName: 'two' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RunFromNodeNotAllowedError);
    expect(error).toMatchObject({ code: 'RUN_FROM_NODE_NOT_ALLOWED', message: 'relation waitAny for node three is not allowed', nodeName: 'three' });
  });

  it('refuses a node that is not in the pipeline', async () => {
    const emulator = await open(1);
    await emulator.run(chain, { jobId: 'first' });
    await expect(emulator.runFromNode({ jobId: 'first', nodeName: 'nope' })).rejects.toMatchObject({ code: 'RUN_FROM_NODE_NOT_ALLOWED', message: 'unable to find node nope in pipeline first' });
  });
});

async function readRecord(emulator: Emulator, jobId: string): Promise<JobRecord> {
  const bytes = await readFile(join(emulator.storageDirectory!, jobRecordPath('local', jobId)));
  const decoded = getCodec('msgpack').decode(bytes);
  if (!decoded.ok) expect.fail('the record cannot be decoded');
  return decoded.value as JobRecord;
}
