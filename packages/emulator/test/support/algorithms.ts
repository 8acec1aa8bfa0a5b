import type { Algorithm } from '@hkube-ts/wrapper-node';

/** HKube's `eval-alg` without code: returns its input. */
export const echo: Algorithm = { start: ({ input }) => input };

/** Builds an algorithm from a function of the input. */
export function fromInput(run: (input: unknown[]) => unknown): Algorithm {
  return { start: ({ input }) => run(input) };
}

/** A node with an algorithm name (default `echo`). */
export function node(nodeName: string, input: unknown[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { nodeName, algorithmName: 'echo', input, ...extra };
}
