import { describe, expect, it } from 'vitest';
import type { EdgeStatistics } from '../../src/index.js';
import { StreamView } from '../../src/cli/stream-view.js';

const edge = (fields: Partial<EdgeStatistics> = {}): EdgeStatistics => ({
  source: 'twitt', target: 'sort', sent: 0, queueSize: 0, responses: 0, dropped: 0, reqRate: 0, resRate: 0,
  processingTimeMs: 0, roundTripTimeMs: 0, queueTimeMs: 0, throughput: 0, replicas: 1, ...fields,
});

describe('StreamView', () => {
  it('prints a line per change of the edges when stderr is not a terminal', () => {
    let out = '';
    const view = new StreamView({ write: (text) => (out += text), tty: false });
    view.update([edge({ sent: 5, responses: 4, reqRate: 2.5, queueSize: 3 })]);
    view.update([edge({ sent: 5, responses: 4, reqRate: 2.5, queueSize: 3 })]);
    view.update([edge({ sent: 9, responses: 9, dropped: 2, replicas: 2 })]);
    view.finish([edge({ sent: 9, responses: 9, dropped: 2, replicas: 2 })]);
    expect(out).toBe([
      '[hkube-ts] twitt → sort: 5 sent, 4 responses, 2.5 msg/s, queue 3, 1 replica',
      '[hkube-ts] twitt → sort: 9 sent, 9 responses, 0.0 msg/s, queue 0, 2 dropped, 2 replicas',
      '[hkube-ts] final: twitt → sort: 9 sent, 9 responses, 0.0 msg/s, queue 0, 2 dropped, 2 replicas',
      '',
    ].join('\n'));
  });

  it('redraws the edges in place on a terminal', () => {
    let out = '';
    const view = new StreamView({ write: (text) => (out += text), tty: true });
    view.finish([edge({ sent: 1 }), edge({ source: 'sort', target: 'A' })]);
    view.finish([edge({ sent: 2 }), edge({ source: 'sort', target: 'A' })]);
    expect(out).toContain('\x1b[2Ktwitt → sort: 1 sent');
    expect(out).toContain('\x1b[2A\x1b[2Ktwitt → sort: 2 sent');
  });
});
