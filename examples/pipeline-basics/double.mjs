// Doubles one number. The pipeline runs it as a batch: one task per item of flowInput.numbers.
export function start({ input: [n] }) {
  return n * 2;
}
