import type { InitializePayload } from '@hkube-ts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';

// What a task's wrapper receives: the full initialize payload (worker-protocol §4.1), in both storage modes.
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface Seen {
  readonly init: InitializePayload[];
  readonly start: unknown[][];
}

async function capture(storageMode: 'v1' | 'v3'): Promise<Seen> {
  const seen: Seen = { init: [], start: [] };
  emulator = await createEmulator({ clusterName: 'dev' });
  emulator.registerAlgorithm('source', { start: () => ({ list: [1, 2], name: 'src' }) });
  emulator.registerAlgorithm(
    'probe',
    {
      init: ({ signal: _signal, ...payload }) => void seen.init.push(payload),
      start: ({ input }) => void seen.start.push(input),
    },
    { storageMode },
  );
  const result = await emulator.run({
    name: 'payload',
    nodes: [
      { nodeName: 'src', algorithmName: 'source', input: [] },
      { nodeName: 'probe', algorithmName: 'probe', input: ['#@src.list', { whole: '@src', name: '@src.name', literal: [true] }, '@flowInput.x', 7], extraData: { e: 1 }, ttl: 60 },
    ],
    flowInput: { x: 'fx' },
    priority: 2,
  });
  expect(result.status).toBe('completed');
  seen.init.sort((a, b) => (a.batchIndex ?? 0) - (b.batchIndex ?? 0));
  return seen;
}

describe('the initialize payload', () => {
  it('v3: references become $$ links into storage, literals stay, flatInput flattens the input', async () => {
    const seen = await capture('v3');
    expect(seen.init).toHaveLength(2);
    const [first] = seen.init;
    expect(first).toMatchObject({
      jobId: expect.stringMatching(/^payload-\w{8}$/) as unknown,
      taskId: expect.stringMatching(/^\w{8}$/) as unknown,
      nodeName: 'probe',
      algorithmName: 'probe',
      pipelineName: 'payload',
      kind: 'batch',
      batchIndex: 1,
      parents: ['src'],
      childs: [],
      info: { savePaths: [], extraData: { e: 1 }, lastRunResult: null },
      ttl: 60,
      priority: 2,
      retry: { policy: 'OnCrash', limit: 3 },
    });
    const input = first!.input as [string, { whole: string; name: string; literal: boolean[] }, string, number];
    const links = [input[0], input[1].whole, input[1].name, input[2]];
    for (const link of links) expect(link).toMatch(/^\$\$[\w-]+$/);
    expect(input[1].literal).toEqual([true]);
    expect(input[3]).toBe(7);
    expect(Object.keys(first!.storage).sort()).toEqual(links.map((link) => link.slice(2)).sort());
    const link = first!.storage[input[0].slice(2)] as { storageInfo: { path: string; size: number }; path: string };
    expect(link.storageInfo.path).toMatch(new RegExp(`^dev-hkube/${first!.jobId}/[\\w-]+$`));
    expect(link.storageInfo.size).toBeGreaterThan(0);
    expect(link.path).toBe('');
    expect(first!.flatInput).toEqual({ '0': input[0], '1.whole': input[1].whole, '1.name': input[1].name, '1.literal.0': true, '2': input[2], '3': 7 });
    // What start receives: the resolved values.
    expect([...seen.start].sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [1, { whole: { list: [1, 2], name: 'src' }, name: 'src', literal: [true] }, 'fx', 7],
      [2, { whole: { list: [1, 2], name: 'src' }, name: 'src', literal: [true] }, 'fx', 7],
    ]);
    expect(seen.init[1]!.batchIndex).toBe(2);
  });

  it('v1: resolved values, flatInput null, no storage links', async () => {
    const seen = await capture('v1');
    const [first] = seen.init;
    expect(first).toMatchObject({ nodeName: 'probe', batchIndex: 1, flatInput: null, storage: {}, info: { savePaths: [] } });
    expect(first!.input).toEqual([1, { whole: { list: [1, 2], name: 'src' }, name: 'src', literal: [true] }, 'fx', 7]);
  });

  it('info.savePaths lists what the children reference', async () => {
    const seen: InitializePayload[] = [];
    emulator = await createEmulator();
    emulator.registerAlgorithm('probe', { init: ({ signal: _signal, ...payload }) => void seen.push(payload), start: () => ({ data: [1, 2, 3] }) });
    emulator.registerAlgorithm('echo', { start: ({ input }) => input });
    const result = await emulator.run({
      name: 'save-paths',
      nodes: [
        { nodeName: 'green', algorithmName: 'probe', input: [] },
        { nodeName: 'yellow', algorithmName: 'echo', input: ['#@green.data'] },
        { nodeName: 'black', algorithmName: 'echo', input: ['@green'] },
      ],
    });
    expect(result.status).toBe('completed');
    expect(seen[0]).toMatchObject({ childs: ['yellow', 'black'], parents: [], batchIndex: 0 });
    expect([...seen[0]!.info!.savePaths!].sort()).toEqual(['green', 'green.data']);
  });
});
