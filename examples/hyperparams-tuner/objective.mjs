// The objective of one trial: how far x is from 2, squared. The tuner minimises it.
// It reads x from @flowInput.hyperParams.x, which the tuner sets for each trial.
export function start({ input: [x] }) {
  return (x - 2) ** 2;
}
