// Sums a list of numbers. `@double` hands it the outputs of every batch item of double, in order.
export function start({ input: [values] }) {
  return values.reduce((total, value) => total + value, 0);
}
