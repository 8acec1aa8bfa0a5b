// The entry an algorithm image would run with `hkube-wrapper` (ALGORITHM_ENTRY_POINT=index.mjs):
// the same algorithm, written in plain JavaScript so that it runs without a TypeScript build.
export function start({ input: [numbers, scale = 1], signal }) {
  const scaled = numbers.map((n) => {
    signal.throwIfAborted();
    return n * scale;
  });
  return { count: numbers.length, sum: scaled.reduce((a, b) => a + b, 0), scaled };
}
