// Stream throughput in-process (the built package): messages from a stateful source to a stateful sink
// that returns once it counted them all, directly and through a stateless node in between, over the
// in-memory stream network, each message through the real wrapper's queue, transport and flow routing.
import { createEmulator } from '@hkube-ts/emulator';

const untilStopped = (signal) => new Promise((resolve) => signal.addEventListener('abort', resolve));

const algorithms = {
  source: {
    async start({ input: [count], signal }, api) {
      for (let i = 0; i < count; i++) api.sendMessage({ i, text: 'a small message' });
      await untilStopped(signal);
    },
  },
  relay: { start: ({ streamInput }) => streamInput.message },
  sink: {
    async start({ input: [count] }, api) {
      let seen = 0;
      for await (const message of api.messages()) if (message && ++seen === count) return seen;
      return seen;
    },
  },
};

function pipeline(name, count, flow, withRelay) {
  return {
    name,
    kind: 'stream',
    nodes: [
      { nodeName: 'source', algorithmName: 'source', stateType: 'stateful', input: [count] },
      ...(withRelay ? [{ nodeName: 'relay', algorithmName: 'relay', stateType: 'stateless', minStatelessCount: 1, maxStatelessCount: 1 }] : []),
      { nodeName: 'sink', algorithmName: 'sink', stateType: 'stateful', input: [count] },
    ],
    streaming: { flows: { main: flow } },
  };
}

const emulator = await createEmulator();
for (const [name, algorithm] of Object.entries(algorithms)) emulator.registerAlgorithm(name, algorithm);
console.log('\nstream throughput (in-process, in-memory stream network, one message in flight per consumer)');
console.log(`${'flow'.padEnd(36)}  ${'messages'.padStart(8)}  ${'wall time'.padStart(9)}  ${'msgs/s'.padStart(8)}`);
for (const [label, count, flow, relay] of [
  ['source >> sink', 20_000, 'source >> sink', false],
  ['source >> relay (stateless) >> sink', 10_000, 'source >> relay >> sink', true],
]) {
  const start = process.hrtime.bigint();
  const result = await emulator.run(pipeline(label.replace(/\W+/g, '-'), count, flow, relay));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 'completed' || result.data.at(-1)?.result !== count) throw new Error(`unexpected result ${JSON.stringify(result)}`);
  console.log(`${label.padEnd(36)}  ${String(count).padStart(8)}  ${`${ms.toFixed(0)} ms`.padStart(9)}  ${Math.round((count * 1000) / ms).toString().padStart(8)}`);
}
await emulator.close();
