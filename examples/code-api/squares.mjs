// Squares every number of its input by starting the `square` algorithm once per number through the
// Code API (`api.startAlgorithm`), all at once, then adds the squares up.
export async function start({ input: [numbers] }, api) {
  const squares = await Promise.all(numbers.map((n) => api.startAlgorithm('square', [n])));
  return { squares, total: squares.reduce((a, b) => a + b, 0) };
}
