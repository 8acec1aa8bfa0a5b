import { describe, expect, it } from 'vitest';
import { node, runData } from './helpers.js';

// Size, not speed: these must complete (the engine does no O(n²) work per task). No timing assertions.
describe('scale', () => {
  it('runs a 1,000-item batch node and a node reading all of it', async () => {
    const data = await runData({ name: 'wide', nodes: [node('A', ['#[1...1000]']), node('B', ['@A'])] });
    expect(data).toHaveLength(1);
    expect(data[0]!['result']).toHaveLength(1);
    expect((data[0]!['result'] as unknown[][])[0]).toHaveLength(1000);
  });

  it('runs a 1,000-item batch with a wait-any child', async () => {
    const data = await runData({ name: 'any', nodes: [node('A', ['#[1...1000]']), node('B', ['*@A'])] });
    expect(data).toHaveLength(1000);
  });

  it('runs a 200-node chain', async () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`, i === 0 ? [0] : [`@n${i - 1}`]));
    const data = await runData({ name: 'chain', nodes });
    expect(data).toHaveLength(1);
    expect(data[0]!['nodeName']).toBe('n199');
    let depth = 0;
    for (let value = data[0]!['result']; Array.isArray(value); value = value[0]) depth += 1;
    expect(depth).toBe(200);
  });

  it('runs a 200-node chain of skipped batches', async () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`, i === 0 ? ['#[3...1]'] : [`#@n${i - 1}`]));
    const data = await runData({ name: 'skips', nodes });
    expect(data).toEqual([{ nodeName: 'n199', batchIndex: -1, algorithmName: 'echo' }]);
  });
});
