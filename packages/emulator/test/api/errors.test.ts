import { join } from 'node:path';
import { InvalidAlgorithmError } from '@hkube-ts/wrapper-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmulator, EmulatorClosedError, InvalidAlgorithmSourceError, PipelineValidationError, StoredPipelineNotFoundError, UnknownAlgorithmError,
  type Emulator,
} from '../../src/index.js';
import { FIXTURES } from '../support/built.js';
import { echo } from '../support/algorithms.js';

let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ baseDir: FIXTURES });
  emulator.registerAlgorithm('echo', echo);
});

afterEach(async () => {
  await emulator.close();
});

const one = (algorithmName: string): Record<string, unknown> => ({ name: 'one', nodes: [{ nodeName: 'A', algorithmName, input: [] }] });

describe('errors before a job starts', () => {
  it('an unknown algorithm is an UnknownAlgorithmError with HKube message', () => {
    expect(() => emulator.runPipeline(one('nope'))).toThrow(UnknownAlgorithmError);
    try {
      emulator.runPipeline(one('nope'));
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNKNOWN_ALGORITHM', message: 'algorithm nope Not Found', algorithmName: 'nope', nodeName: 'A' });
    }
  });

  it('an invalid descriptor is a PipelineValidationError with HKube message, also from run()', async () => {
    expect(() => emulator.runPipeline({ name: 'p', nodes: [] })).toThrow(PipelineValidationError);
    expect(() => emulator.runPipeline({ name: 'p', nodes: [] })).toThrow('pipeline must have at least one node');
    await expect(emulator.run({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'echo', input: ['@B'] }] })).rejects.toMatchObject({
      code: 'PIPELINE_INVALID',
      message: 'node "A" is depend on node "B" which is not exists',
    });
    await expect(emulator.run('not an object' as never)).rejects.toBeInstanceOf(PipelineValidationError);
  });

  it('a stream pipeline with an invalid flow is refused with HKube\'s message (§7.2 F4)', () => {
    const nodes = [
      { nodeName: 'A', algorithmName: 'echo', input: [], stateType: 'stateful' },
      { nodeName: 'B', algorithmName: 'echo', input: [] },
    ];
    expect(() => emulator.runPipeline({ name: 's', kind: 'stream', nodes, streaming: { flows: { main: 'A >> C' } } })).toThrow('invalid node C in stream flow main');
    expect(() => emulator.runPipeline({ name: 's', kind: 'stream', nodes: [nodes[0], { ...nodes[1], stateType: 'stateless' }], streaming: { flows: { main: 'B >> A' } } })).toThrow(
      'entry node "B" cannot be stateless on stream pipeline',
    );
  });

  it('a module without start makes the run reject with InvalidAlgorithmError', async () => {
    emulator.registerAlgorithm('no-start', { path: 'no-start.mjs' });
    const job = emulator.runPipeline(one('no-start'));
    await expect(job.result).rejects.toBeInstanceOf(InvalidAlgorithmError);
    await expect(job.result).rejects.toMatchObject({ code: 'INVALID_ALGORITHM', message: expect.stringContaining('does not export a start function') as unknown });
    const events = [];
    for await (const event of job.progress) events.push(event);
    expect(events).toEqual([]);
  });

  it('an object without start is refused at registration', () => {
    expect(() => emulator.registerAlgorithm('bad', { stop: () => undefined } as never)).toThrow(InvalidAlgorithmError);
  });

  it.each([
    [{ path: 'missing.mjs' }, `the module ${join(FIXTURES, 'missing.mjs')} does not exist`],
    [{ path: 42 }, '"path" must be a non-empty string'],
    [{ command: [] }, '"command" must be a non-empty array of non-empty strings'],
    [{ command: 'node main.js' }, '"command" must be a non-empty array of non-empty strings'],
    [{ command: ['node'], cwd: 'nowhere' }, `the working directory ${join(FIXTURES, 'nowhere')} does not exist`],
    [{ command: ['node'], env: { PORT: 3000 } }, '"env" must be an object of string values'],
    [null, 'expected an algorithm object, { path } or { command }'],
  ])('a bad source %j is an InvalidAlgorithmSourceError', (source, message) => {
    expect(() => emulator.registerAlgorithm('bad', source as never)).toThrow(InvalidAlgorithmSourceError);
    expect(() => emulator.registerAlgorithm('bad', source as never)).toThrow(message);
  });

  it('an unknown stored pipeline is a StoredPipelineNotFoundError', () => {
    expect(() => emulator.runPipeline({ stored: 'nope' })).toThrow(new StoredPipelineNotFoundError('nope'));
  });

  it('a closed emulator refuses new work', async () => {
    await emulator.close();
    expect(() => emulator.runPipeline(one('echo'))).toThrow(EmulatorClosedError);
    expect(() => emulator.registerAlgorithm('x', echo)).toThrow(EmulatorClosedError);
  });
});

describe('stored pipelines', () => {
  it('a run merges the request into the stored descriptor; flowInput is replaced as a whole', async () => {
    emulator.storePipeline({
      name: 'stored',
      nodes: [{ nodeName: 'green', algorithmName: 'echo', input: ['@flowInput.files'] }],
      flowInput: { files: { link: 'links-0', other: 'dropped by a new flowInput' } },
      options: { batchTolerance: 50, progressVerbosityLevel: 'debug' },
    });
    const levels = new Set<string>();
    const result = await emulator.run({ stored: 'stored', flowInput: { files: { link: 'links-1' } }, options: { batchTolerance: 10 } }, { onProgress: (event) => levels.add(event.level) });
    expect(result).toMatchObject({ status: 'completed', pipeline: 'stored', data: [{ nodeName: 'green', algorithmName: 'echo', result: [{ link: 'links-1' }] }] });
    // options were merged key by key: progressVerbosityLevel 'debug' is still there.
    expect(levels.has('debug')).toBe(true);
    const again = await emulator.run({ stored: 'stored' });
    expect(again).toMatchObject({ data: [{ result: [{ link: 'links-0', other: 'dropped by a new flowInput' }] }] });
    expect(() => emulator.runPipeline({ stored: 'stored', flowInput: { nothing: true } })).toThrow('unable to find flowInput.files');
  });

  it('storing an invalid pipeline throws', () => {
    expect(() => emulator.storePipeline({ name: 'bad name!', nodes: [] })).toThrow(PipelineValidationError);
  });
});

describe('Code API requests', () => {
  it('that fail are answered with an error, so the awaited call fails instead of hanging', async () => {
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startAlgorithm('nope', [1]) });
    const result = await emulator.run(one('caller'));
    expect(result).toMatchObject({ status: 'failed', nodeName: 'A' });
    expect(result.status === 'failed' && result.error).toContain("Algorithm named 'nope' does not exist");
  });
});
