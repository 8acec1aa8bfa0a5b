import type { ServiceDiscoveryChange } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { StreamDiscovery } from '../../src/streaming/discovery.js';

describe('stream discovery (worker-protocol §7.2)', () => {
  it('tells a task about its parents\u2019 producers: those live when it subscribes, then every change', () => {
    const discovery = new StreamDiscovery();
    discovery.publish('t1', 'twitt', { host: 'memory', port: 9022 });
    discovery.publish('t0', 'other', { host: 'memory', port: 9021 });
    const seen: ServiceDiscoveryChange[][] = [];
    const unsubscribe = discovery.subscribe(['twitt', 'sort'], (changes) => seen.push([...changes]));
    discovery.publish('t2', 'sort', { host: '127.0.0.1', port: 40000 });
    discovery.withdraw('t1');
    discovery.withdraw('t1');
    unsubscribe();
    discovery.withdraw('t2');
    expect(seen).toEqual([
      [{ nodeName: 'twitt', address: { host: 'memory', port: 9022 }, type: 'Add' }],
      [{ nodeName: 'sort', address: { host: '127.0.0.1', port: 40000 }, type: 'Add' }],
      [{ nodeName: 'twitt', address: { host: 'memory', port: 9022 }, type: 'Del' }],
    ]);
  });

  it('sends nothing to a task without parents', () => {
    const discovery = new StreamDiscovery();
    discovery.publish('t1', 'twitt', { host: 'memory', port: 9022 });
    const seen: unknown[] = [];
    discovery.subscribe([], (changes) => seen.push(changes));
    expect(seen).toEqual([]);
  });
});
