// Sums the scaled values, next to what `load` produced.
export function start({ input: [scaled, loaded] }) {
  return { loaded, scaled, total: scaled.reduce((sum, value) => sum + value, 0) };
}
