/**
 * When each in-flight message was sent, per listener identity, so the producer can report the gross
 * round trip (send → DONE) of data-plane §4.2. With prefetch a listener has several in flight; they are
 * acked in order.
 *
 * @internal
 */
export class SendTimes {
  readonly #byIdentity = new Map<string, number[]>();

  constructor(
    /** Identities tracked at most; the oldest is forgotten first (listeners that died mid-message). */
    private readonly maxIdentities = 4096,
  ) {}

  /** Records a send to `identity` at `time`. */
  add(identity: Uint8Array, time: number): void {
    const key = Buffer.from(identity.buffer, identity.byteOffset, identity.byteLength).toString('latin1');
    const times = this.#byIdentity.get(key);
    if (times !== undefined) {
      times.push(time);
      return;
    }
    if (this.#byIdentity.size >= this.maxIdentities) {
      const oldest = this.#byIdentity.keys().next();
      if (oldest.done !== true) this.#byIdentity.delete(oldest.value);
    }
    this.#byIdentity.set(key, [time]);
  }

  /** The send time of the oldest unacked message of `identity`, forgotten now. */
  take(identity: Uint8Array): number | undefined {
    const key = Buffer.from(identity.buffer, identity.byteOffset, identity.byteLength).toString('latin1');
    const times = this.#byIdentity.get(key);
    const time = times?.shift();
    if (times !== undefined && times.length === 0) this.#byIdentity.delete(key);
    return time;
  }
}
