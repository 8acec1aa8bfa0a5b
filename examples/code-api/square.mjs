// Squares one number. Started by `squares` with api.startAlgorithm('square', [n]).
export function start({ input: [n] }) {
  return n * n;
}
