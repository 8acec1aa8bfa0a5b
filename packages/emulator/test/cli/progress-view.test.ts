import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/index.js';
import { ProgressView } from '../../src/cli/progress-view.js';

const event = (nodeName: string, taskId: string, status: TaskEvent['status'], error?: string): TaskEvent => ({
  jobId: 'j',
  nodeName,
  algorithmName: nodeName,
  taskId,
  batchIndex: 1,
  status,
  ...(error === undefined ? {} : { error }),
});

const result = { jobId: 'j', pipeline: 'p', startTime: 0, timestamp: 1, timeTook: 0.001 };

describe('ProgressView', () => {
  it('prints one line per node status change when stderr is not a terminal', () => {
    let out = '';
    const view = new ProgressView({ nodes: ['a', 'b', 'c'], write: (text) => (out += text), tty: false });
    for (const id of ['1', '2']) view.onTaskEvent(event('a', id, 'pending'));
    view.onTaskEvent(event('a', '1', 'active'));
    view.onTaskEvent(event('a', '2', 'active'));
    view.onTaskEvent(event('a', '1', 'succeed'));
    view.onTaskEvent(event('a', '2', 'failed', 'boom\n  at somewhere'));
    view.finish({ ...result, status: 'completed', data: [{ nodeName: 'b', batchIndex: -1 }] });
    expect(out).toBe(['[hkube-ts] a: active (0/2 succeed)', '[hkube-ts] a: failed (1/2 succeed, 1 failed): boom', '[hkube-ts] b: skipped', ''].join('\n'));
  });

  it('redraws bars in place on a terminal', async () => {
    let out = '';
    const view = new ProgressView({ nodes: ['double', 'sum'], write: (text) => (out += text), tty: true });
    view.onTaskEvent(event('double', '1', 'active'));
    await new Promise((resolve) => setTimeout(resolve, 120));
    view.onTaskEvent(event('double', '1', 'succeed'));
    view.finish({ ...result, status: 'completed', data: [] });
    expect(out).toContain('\x1b[2Kdouble [░░░░░░░░░░░░░░░░░░░░░░░░] active (0/1 succeed)\n');
    expect(out).toContain('\x1b[2A\x1b[2Kdouble [████████████████████████] succeed (1/1 succeed)\n\x1b[2Ksum    [░░░░░░░░░░░░░░░░░░░░░░░░] waiting\n');
  });
});
