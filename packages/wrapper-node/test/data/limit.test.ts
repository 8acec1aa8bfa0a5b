import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/data/index.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('createLimiter', () => {
  it('runs at most n jobs at once, in FIFO order', async () => {
    const limiter = createLimiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await tick(5);
        active--;
        return i;
      }),
    );
    await expect(Promise.all(jobs)).resolves.toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('does not start a waiting job whose signal aborted, and frees its slot', async () => {
    const limiter = createLimiter(1);
    const controller = new AbortController();
    const first = limiter.run(() => tick(5).then(() => 'first'));
    let ran = false;
    const second = limiter.run(() => {
      ran = true;
      return Promise.resolve('second');
    }, controller.signal);
    const third = limiter.run(() => Promise.resolve('third'));
    controller.abort(new Error('stop'));
    await expect(first).resolves.toBe('first');
    await expect(second).rejects.toThrow('stop');
    await expect(third).resolves.toBe('third');
    expect(ran).toBe(false);
  });

  it('treats values below 1 as 1 and a failing job as done', async () => {
    const limiter = createLimiter(0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
