import { describe, expect, it } from 'vitest';
import { StreamStatistics, WINDOW_SIZE, type ProducerReport } from '../../src/engine/index.js';

function report(nodeName: string, fields: Partial<ProducerReport> = {}): ProducerReport {
  return { nodeName, sent: 0, queueSize: 0, responses: 0, dropped: 0, netDurations: [], durations: [], queueDurations: [], ...fields };
}

const edges = [
  { source: 'twitt', target: 'sort' },
  { source: 'sort', target: 'A' },
  { source: 'sort', target: 'B' },
];

describe('edge statistics (pipeline-semantics §4)', () => {
  it('reports counters, rates over the window, mean times and throughput per edge', () => {
    const statistics = new StreamStatistics(edges);
    statistics.record('t1', 'twitt', [report('sort', { sent: 0, queueSize: 10 })], 1000);
    statistics.record('t1', 'twitt', [report('sort', { sent: 20, queueSize: 10, responses: 15, netDurations: [10, 20], durations: [30, 50], queueDurations: [4] })], 3000);
    const [edge] = statistics.snapshot(() => 2);
    // requests went from 10 to 30 in 2 s; responses from 0 to 15.
    expect(edge).toEqual({
      source: 'twitt', target: 'sort', sent: 20, queueSize: 10, responses: 15, dropped: 0,
      reqRate: 10, resRate: 7.5, processingTimeMs: 15, roundTripTimeMs: 40, queueTimeMs: 4, throughput: 75, replicas: 2,
    });
  });

  it('sums the replicas of a source and keeps an ended producer in the totals only', () => {
    const statistics = new StreamStatistics(edges);
    statistics.record('s1', 'sort', [report('A', { sent: 3, queueSize: 1, responses: 3 }), report('B', { sent: 1 })], 0);
    statistics.record('s2', 'sort', [report('A', { sent: 4, queueSize: 2, responses: 4 })], 0);
    expect(statistics.snapshot(() => 1).find((edge) => edge.target === 'A')).toMatchObject({ sent: 7, queueSize: 3, responses: 7 });
    statistics.producerEnded('s2');
    expect(statistics.snapshot(() => 1).find((edge) => edge.target === 'A')).toMatchObject({ sent: 7, queueSize: 1, responses: 7 });
    expect(statistics.load('A')).toEqual({ totalRequests: 8, totalResponses: 7, queueSize: 1, reqRate: 0, roundTripMs: undefined });
  });

  it('ignores entries about nodes that are not children of the producer', () => {
    const statistics = new StreamStatistics(edges);
    statistics.record('t1', 'twitt', [report('A', { sent: 9 }), report('sort', { sent: 1 })], 0);
    const snapshot = statistics.snapshot(() => 0);
    expect(snapshot.map((edge) => edge.sent)).toEqual([1, 0, 0]);
  });

  it(`keeps the last ${WINDOW_SIZE} reports for rates`, () => {
    const statistics = new StreamStatistics(edges);
    // 5 msgs/s for 10 s, then 50 msgs/s: once the window holds only the fast reports, the rate is 50.
    let sent = 0;
    for (let second = 0; second <= 10; second += 1) statistics.record('t', 'twitt', [report('sort', { sent: (sent = second * 5) })], second * 1000);
    for (let second = 11; second <= 11 + WINDOW_SIZE; second += 1) statistics.record('t', 'twitt', [report('sort', { sent: (sent += 50) })], second * 1000);
    expect(statistics.snapshot(() => 1)[0]!.reqRate).toBe(50);
  });
});
