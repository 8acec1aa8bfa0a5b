/** Resolves with `true` when `promise` settles within `ms`, `false` otherwise. Never rejects. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/** Runs a user hook, turning a synchronous throw into a rejection. */
export function callHook<T>(hook: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(hook());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
