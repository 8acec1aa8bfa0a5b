// The step being worked on: multiplies what `load` produced by flowInput.factor.
// Change it (e.g. add 1 after multiplying) and re-run from this node: `load` does not run again.
export function start({ input: [values, factor] }) {
  return values.map((value) => value * factor);
}
