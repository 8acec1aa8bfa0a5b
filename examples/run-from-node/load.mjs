// The step you do not want to run twice (think: a slow download). Squares the numbers.
export function start({ input: [numbers] }) {
  return numbers.map((n) => n * n);
}
