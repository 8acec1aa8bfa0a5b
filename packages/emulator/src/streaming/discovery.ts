/**
 * Service discovery of one stream job (data-plane §4.1, worker-protocol §7.2): which worker serves
 * which node's stream producer, and who must hear about it. HKube's workers poll etcd every 5 s and
 * send the difference; the emulator sends each change at once.
 */
import type { DiscoveryAddress, ServiceDiscoveryChange } from '@hkube-ts/protocol';

interface Producer {
  readonly nodeName: string;
  readonly address: DiscoveryAddress;
}

interface Subscriber {
  readonly parents: ReadonlySet<string>;
  readonly send: (changes: readonly ServiceDiscoveryChange[]) => void;
}

/** The live stream producers of one job, and the tasks listening to their parents. */
export class StreamDiscovery {
  readonly #producers = new Map<string, Producer>();
  readonly #subscribers = new Set<Subscriber>();

  /** Task `taskId` of `nodeName` serves its producer at `address`: its children's tasks get `Add`. */
  publish(taskId: string, nodeName: string, address: DiscoveryAddress): void {
    if (this.#producers.has(taskId)) return;
    const producer = { nodeName, address };
    this.#producers.set(taskId, producer);
    this.#notify(producer, 'Add');
  }

  /** Task `taskId` ended: its children's tasks get `Del`. */
  withdraw(taskId: string): void {
    const producer = this.#producers.get(taskId);
    if (producer === undefined) return;
    this.#producers.delete(taskId);
    this.#notify(producer, 'Del');
  }

  /**
   * A task listening to `parents`: it gets `Add` for every live producer of a parent now, then every
   * change. Returns the unsubscription.
   */
  subscribe(parents: readonly string[], send: (changes: readonly ServiceDiscoveryChange[]) => void): () => void {
    const subscriber: Subscriber = { parents: new Set(parents), send };
    if (subscriber.parents.size === 0) return () => undefined;
    this.#subscribers.add(subscriber);
    const current = [...this.#producers.values()].filter((producer) => subscriber.parents.has(producer.nodeName)).map((producer) => change(producer, 'Add'));
    if (current.length > 0) send(current);
    return () => this.#subscribers.delete(subscriber);
  }

  #notify(producer: Producer, type: 'Add' | 'Del'): void {
    for (const subscriber of this.#subscribers) if (subscriber.parents.has(producer.nodeName)) subscriber.send([change(producer, type)]);
  }
}

function change(producer: Producer, type: 'Add' | 'Del'): ServiceDiscoveryChange {
  return { nodeName: producer.nodeName, address: { ...producer.address }, type };
}
