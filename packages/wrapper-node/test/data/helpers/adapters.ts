import type { StorageAdapter, StoredObject, StoragePutData } from '../../../src/data/index.js';

/** Wraps an adapter: records `get` calls and delays some of them. */
export class SpyAdapter implements StorageAdapter {
  readonly gets: string[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly inner: StorageAdapter,
    private readonly delayMs: (path: string) => number = () => 0,
  ) {}

  put(path: string, data: StoragePutData, signal?: AbortSignal): Promise<void> {
    return this.inner.put(path, data, signal);
  }

  async get(path: string, signal?: AbortSignal): Promise<StoredObject> {
    this.gets.push(path);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const delay = this.delayMs(path);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return await this.inner.get(path, signal);
    } finally {
      this.inFlight--;
    }
  }

  exists(path: string, signal?: AbortSignal): Promise<boolean> {
    return this.inner.exists(path, signal);
  }

  delete(path: string, signal?: AbortSignal): Promise<void> {
    return this.inner.delete(path, signal);
  }

  list(prefix: string, signal?: AbortSignal): Promise<string[]> {
    return this.inner.list(prefix, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
