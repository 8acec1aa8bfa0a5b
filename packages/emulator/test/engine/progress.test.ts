import { describe, expect, it } from 'vitest';
import { isProgressReported, type ProgressEvent } from '../../src/engine/index.js';
import { algorithm, node, run } from './helpers.js';

async function events(descriptor: Record<string, unknown>, progressFilter?: 'none'): Promise<ProgressEvent[]> {
  const seen: ProgressEvent[] = [];
  await run(descriptor, { onProgress: (event) => seen.push(event), ...(progressFilter === undefined ? {} : { progressFilter }) });
  return seen;
}

describe('progress events (§2.9, §7.2 H)', () => {
  it('H2: the default info verbosity passes active and completed events, no debug ones', async () => {
    const seen = await events({ name: 'p', nodes: [node('A', ['#[1,2,3]'])] });
    expect(seen.map((event) => [event.status, event.level])).toEqual([
      ['active', 'info'],
      ['completed', 'info'],
    ]);
    expect(seen[1]).toMatchObject({
      jobId: 'job',
      pipeline: 'p',
      data: { progress: 100, states: { succeed: 3 }, details: '100% completed, 3 succeed' },
    });
  });

  it('debug verbosity passes every task state change', async () => {
    const seen = await events({ name: 'p', nodes: [node('A', ['#[1,2,3]'])], options: { progressVerbosityLevel: 'debug' } });
    expect(seen.filter((event) => event.level === 'debug')).toHaveLength(6);
    expect(seen[0]!.data).toEqual({ progress: 0, states: { creating: 1 }, details: '0% completed, 1 creating' });
  });

  it('computes progress over flat tasks, the placeholder of nodes without tasks included', async () => {
    const seen = await events({ name: 'p', nodes: [node('A', ['#[1,2,3]']), node('B', ['@A']), node('C', ['@B'])] }, 'none');
    const firstDone = seen.find((event) => event.data.states.succeed === 1)!;
    expect(firstDone.data).toEqual({
      progress: 20,
      states: { creating: 1, preschedule: 1, active: 2, succeed: 1 },
      details: '20% completed, 1 creating, 1 preschedule, 2 active, 1 succeed',
    });
    expect(seen.at(-1)!.data.details).toBe('100% completed, 5 succeed');
  });

  it('rounds progress to two decimals', async () => {
    const seen = await events({ name: 'p', nodes: [node('A', ['#[1,2,3]'])] }, 'none');
    expect(seen.map((event) => event.data.progress)).toContain(33.33);
    expect(seen.map((event) => event.data.progress)).toContain(66.67);
  });

  it('reports a failure as an error event with the error and the node', async () => {
    const seen: ProgressEvent[] = [];
    const executeTask = algorithm(() => {
      throw new Error('boom');
    });
    await run({ name: 'p', nodes: [node('A')] }, { executeTask, onProgress: (event) => seen.push(event) });
    expect(seen.at(-1)).toMatchObject({ status: 'failed', level: 'error', error: 'boom', nodeName: 'A' });
  });

  it('survives a throwing progress hook', async () => {
    const result = await run({ name: 'p', nodes: [node('A')] }, {
      onProgress: () => {
        throw new Error('hook');
      },
    });
    expect(result.status).toBe('completed');
  });

  it.each([
    ['debug', 'info', false],
    ['info', 'info', true],
    ['error', 'info', true],
    ['critical', 'critical', true],
    ['warning', 'error', false],
    ['trace', 'trace', true],
  ] as const)('isProgressReported(%s, %s) is %s', (level, verbosity, expected) => {
    expect(isProgressReported(level, verbosity)).toBe(expected);
  });
});
