// The source: emits `count` tweets on the default flow ("master": twitt >> sort >> B), then waits. The
// job ends when `sort` has routed them all (a stateful node whose start returns completes the job).
export async function start({ input: [count], signal }, api) {
  for (let id = 1; id <= count; id += 1) {
    api.sendMessage({ id, user: `user${id % 3}`, text: id % 2 === 0 ? `hkube streams ${id}` : `hello ${id}` });
  }
  await new Promise((resolve) => signal.addEventListener('abort', resolve));
}
