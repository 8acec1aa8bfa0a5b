import { describe, expect, it } from 'vitest';
import { HKUBE_AUTOSCALE_SETTINGS, requiredReplicas, type AutoscaleInput } from '../../src/engine/index.js';

const idle: AutoscaleInput = { replicas: 0, minReplicas: 0, totalRequests: 0, totalResponses: 0, queueSize: 0, reqRate: 0, roundTripMs: undefined };

describe('requiredReplicas (data-plane §4.5)', () => {
  it('starts replicasOnFirstScale replicas when the first messages wait and nothing answered yet', () => {
    expect(requiredReplicas({ ...idle, totalRequests: 5, queueSize: 5 })).toBe(1);
    expect(requiredReplicas({ ...idle, totalRequests: 5, queueSize: 5 }, { ...HKUBE_AUTOSCALE_SETTINGS, replicasOnFirstScale: 3 })).toBe(3);
  });

  it('starts nothing while no message was ever queued', () => {
    expect(requiredReplicas(idle)).toBe(0);
  });

  it('applies ceil((queueSize + reqRate × 30) / (30 × 1000 / roundTrip))', () => {
    // 10 msg/s at 100 ms: one replica handles 10 msg/s.
    expect(requiredReplicas({ ...idle, replicas: 1, totalRequests: 500, totalResponses: 490, queueSize: 0, reqRate: 10, roundTripMs: 100 })).toBe(1);
    // 40 msg/s at 100 ms with 300 waiting: (300 + 1200) / 300 = 5.
    expect(requiredReplicas({ ...idle, replicas: 1, totalRequests: 2000, totalResponses: 1000, queueSize: 300, reqRate: 40, roundTripMs: 100 })).toBe(5);
    // 40 msg/s at 1 s: (0 + 1200) / 30 = 40, capped at +10 per tick.
    expect(requiredReplicas({ ...idle, replicas: 1, totalRequests: 2000, totalResponses: 1000, queueSize: 0, reqRate: 40, roundTripMs: 1000 })).toBe(11);
  });

  it('clamps to minStatelessCount and maxStatelessCount', () => {
    const busy = { ...idle, replicas: 2, totalRequests: 2000, totalResponses: 1000, queueSize: 300, reqRate: 40, roundTripMs: 100 };
    expect(requiredReplicas({ ...busy, maxReplicas: 3 })).toBe(3);
    expect(requiredReplicas({ ...busy, maxReplicas: null })).toBe(5);
    expect(requiredReplicas({ ...idle, replicas: 4, minReplicas: 2, totalRequests: 10, totalResponses: 10, roundTripMs: 50 })).toBe(2);
  });

  it('scales an idle node down to its minimum', () => {
    expect(requiredReplicas({ ...idle, replicas: 3, totalRequests: 100, totalResponses: 100, roundTripMs: 20 })).toBe(0);
    expect(requiredReplicas({ ...idle, replicas: 3, minReplicas: 1, totalRequests: 100, totalResponses: 100, roundTripMs: undefined })).toBe(1);
  });

  it('keeps at least one replica for a queue when no round trip was measured yet', () => {
    expect(requiredReplicas({ ...idle, replicas: 0, totalRequests: 100, totalResponses: 100, queueSize: 4 })).toBe(1);
    expect(requiredReplicas({ ...idle, replicas: 2, totalRequests: 100, totalResponses: 90, queueSize: 4 })).toBe(2);
  });
});
