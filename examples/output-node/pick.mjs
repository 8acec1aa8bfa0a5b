// Returns the value at input[0] (an echo of what the node was given).
export function start({ input }) {
  return input[0];
}
