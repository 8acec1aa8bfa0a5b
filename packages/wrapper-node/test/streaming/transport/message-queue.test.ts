import type { StreamFlowStep } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { StreamQueueConfigError } from '../../../src/streaming/errors.js';
import { nextInFlow, restOfFlow } from '../../../src/streaming/flow.js';
import { MessageQueue } from '../../../src/streaming/queue/message-queue.js';

const header = Uint8Array.of(1, 8, 2, 3, 0, 0, 0x48, 0x4b);
const payload = (n: number, size = 1): Uint8Array => new Uint8Array(size).fill(n);
const first = (bytes: Uint8Array | undefined): number | undefined => bytes?.[0];

// A >> B&C >> D, and A >> E
const main: StreamFlowStep[] = [{ source: 'A', next: ['B', 'C'] }, { source: 'B', next: ['D'] }, { source: 'C', next: ['D'] }];
const side: StreamFlowStep[] = [{ source: 'A', next: ['E'] }];

function drain(queue: MessageQueue, name: string): number[] {
  const seen: number[] = [];
  for (let message = queue.take(name); message !== undefined; message = queue.take(name)) seen.push(first(message.payload) ?? -1);
  return seen;
}

describe('flow helpers (data-plane §4.3)', () => {
  it('removes the sender step and finds its next nodes', () => {
    expect(restOfFlow(main, 'A')).toEqual([{ source: 'B', next: ['D'] }, { source: 'C', next: ['D'] }]);
    expect(restOfFlow(main, 'Z')).toEqual(main);
    expect(nextInFlow(main, 'B')).toEqual(['D']);
    expect(nextInFlow(main, 'D')).toEqual([]);
  });

  it('returns the same rest for the same flow object', () => {
    expect(restOfFlow(main, 'A')).toBe(restOfFlow(main, 'A'));
  });
});

describe('MessageQueue routing', () => {
  it('queues for every child next in the flow and hands over the rest of flow', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C', 'E'], maxBytes: Infinity });
    expect(queue.append(main, header, payload(1))).toEqual(['B', 'C']);
    expect(queue.append(side, header, payload(2))).toEqual(['E']);
    const toB = queue.take('B');
    expect(toB?.flow).toEqual(restOfFlow(main, 'A'));
    expect(toB?.header).toBe(header);
    expect(first(toB?.payload)).toBe(1);
    expect(drain(queue, 'C')).toEqual([1]);
    expect(drain(queue, 'E')).toEqual([2]);
    expect(queue.take('B')).toBeUndefined();
  });

  it('drops a message silently when no child is next (the end of a flow, F8)', () => {
    const queue = new MessageQueue({ nodeName: 'D', consumers: ['X'], maxBytes: Infinity });
    expect(queue.append(main, header, payload(1))).toEqual([]);
    expect(queue.pending).toBe(0);
    expect(queue.report()).toEqual([expect.objectContaining({ nodeName: 'X', sent: 0, queueSize: 0, dropped: 0 })]);
  });

  it('ignores next nodes that are not children, and names that are not consumers', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    expect(queue.append(main, header, payload(1))).toEqual(['B']);
    expect(queue.isConsumer('C')).toBe(false);
    expect(queue.take('C')).toBeUndefined();
    queue.done('C', 1, 2);
    expect(queue.report().map((entry) => entry.nodeName)).toEqual(['B']);
  });

  it('keeps per-child FIFO order across flows', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C'], maxBytes: Infinity });
    const toBOnly: StreamFlowStep[] = [{ source: 'A', next: ['B'] }];
    for (let i = 0; i < 6; i++) queue.append(i % 2 === 0 ? main : toBOnly, header, payload(i));
    expect(drain(queue, 'C')).toEqual([0, 2, 4]);
    expect(drain(queue, 'B')).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lets replicas of one child compete: each message goes to one of them', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C'], maxBytes: Infinity });
    for (let i = 0; i < 4; i++) queue.append(main, header, payload(i));
    const replica1 = [queue.take('B'), queue.take('B')].map((m) => first(m?.payload));
    const replica2 = [queue.take('B'), queue.take('B')].map((m) => first(m?.payload));
    expect([...replica1, ...replica2]).toEqual([0, 1, 2, 3]);
    expect(drain(queue, 'C')).toEqual([0, 1, 2, 3]);
  });

  it('tells watchers which children a message was queued for', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C', 'E'], maxBytes: Infinity });
    const seen: (readonly string[])[] = [];
    const stop = queue.watch((names) => seen.push(names));
    queue.append(main, header, payload(1));
    queue.append(restOfFlow(main, 'A'), header, payload(2)); // no step for A: dropped, nobody woken
    stop();
    queue.append(side, header, payload(3));
    expect(seen).toEqual([['B', 'C']]);
  });
});

describe('MessageQueue memory cap (data-plane §4.4)', () => {
  it('drops the oldest messages while over the cap, counting drops for the children that missed them', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C'], maxBytes: 250 });
    queue.append(main, header, payload(0, 100));
    expect(first(queue.take('B')?.payload)).toBe(0); // B has 0; C still needs it
    queue.append(main, header, payload(1, 100));
    queue.append(main, header, payload(2, 100)); // 200 ≤ 250: nothing dropped yet
    expect(queue.bytes).toBe(300);
    queue.append(main, header, payload(3, 100)); // 300 > 250: message 0 goes (C only)
    expect(queue.bytes).toBe(300);
    expect(queue.snapshot()).toEqual({
      binarySize: 300,
      configuredMaxBinarySize: 250,
      statisticsPerNode: [
        { nodeName: 'B', sent: 1, queueSize: 3, dropped: 0 },
        { nodeName: 'C', sent: 0, queueSize: 3, dropped: 1 },
      ],
    });
    queue.append(main, header, payload(4, 100)); // message 1 goes, for both
    expect(drain(queue, 'B')).toEqual([2, 3, 4]);
    expect(drain(queue, 'C')).toEqual([2, 3, 4]);
    const report = queue.report();
    expect(report.map(({ nodeName, sent, queueSize, dropped }) => ({ nodeName, sent, queueSize, dropped }))).toEqual([
      { nodeName: 'B', sent: 4, queueSize: 0, dropped: 1 },
      { nodeName: 'C', sent: 3, queueSize: 0, dropped: 2 },
    ]);
    expect(queue.bytes).toBe(0);
    expect(queue.pending).toBe(0);
  });

  it('holds at most the cap plus one message, and the counters add up', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: 1000 });
    const flow: StreamFlowStep[] = [{ source: 'A', next: ['B'] }];
    for (let i = 0; i < 500; i++) {
      queue.append(flow, header, payload(i % 256, 64));
      expect(queue.bytes).toBeLessThanOrEqual(1000 + 64);
      if (i % 7 === 0) queue.take('B');
    }
    const [entry] = queue.report();
    expect(entry).toBeDefined();
    expect((entry?.sent ?? 0) + (entry?.queueSize ?? 0) + (entry?.dropped ?? 0)).toBe(500);
    expect(entry?.queueSize).toBe(queue.pending);
    expect(entry?.dropped).toBeGreaterThan(0);
  });

  it('clear() drops everything that was not taken', () => {
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C'], maxBytes: Infinity });
    for (let i = 0; i < 3; i++) queue.append(main, header, payload(i, 10));
    queue.take('B');
    queue.clear();
    expect(queue.bytes).toBe(0);
    expect(queue.pending).toBe(0);
    expect(queue.snapshot().statisticsPerNode).toEqual([
      { nodeName: 'B', sent: 1, queueSize: 0, dropped: 2 },
      { nodeName: 'C', sent: 0, queueSize: 0, dropped: 3 },
    ]);
  });
});

describe('MessageQueue statistics (data-plane §4.5)', () => {
  it('reports real queue durations and at most the 10 latest durations since the last report', () => {
    let clock = 0;
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity, now: () => clock });
    const flow: StreamFlowStep[] = [{ source: 'A', next: ['B'] }];
    for (let i = 0; i < 12; i++) queue.append(flow, header, payload(i));
    for (let i = 0; i < 12; i++) {
      clock += 5;
      queue.take('B');
      queue.done('B', i, i + 0.5);
    }
    const [entry] = queue.report();
    expect(entry).toEqual({
      nodeName: 'B',
      sent: 12,
      queueSize: 0,
      responses: 12,
      dropped: 0,
      netDurations: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      durations: [2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5],
      queueDurations: [15, 20, 25, 30, 35, 40, 45, 50, 55, 60],
    });
    const [next] = queue.report();
    expect(next).toMatchObject({ sent: 12, responses: 12, netDurations: [], durations: [], queueDurations: [] });
  });
});

describe('MessageQueue options', () => {
  it.each([
    [{ consumers: ['B', 'B'], maxBytes: 1 }],
    [{ consumers: [''], maxBytes: 1 }],
    [{ consumers: ['B'], maxBytes: -1 }],
    [{ consumers: ['B'], maxBytes: Number.NaN }],
  ])('rejects %j with a typed error', (options) => {
    expect(() => new MessageQueue({ nodeName: 'A', ...options })).toThrow(StreamQueueConfigError);
  });
});
