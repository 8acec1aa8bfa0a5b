// The algorithm under debug: set a breakpoint here. It scales every number of its input.
export function start({ input: [numbers, factor] }) {
  const scaled = numbers.map((n) => n * factor);
  console.log(`scaled ${numbers.length} numbers by ${factor}`);
  return { scaled, total: scaled.reduce((a, b) => a + b, 0) };
}
