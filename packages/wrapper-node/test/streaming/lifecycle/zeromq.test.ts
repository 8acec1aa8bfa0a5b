import { describe, expect, it } from 'vitest';
import { parseFlows } from './support/flows.js';
import { usePipelines } from './support/pipeline.js';
import { until } from './support/wait.js';
import { overZeroMq } from './support/zeromq-node.js';

// Two runners in this process streaming over real ZeroMQ sockets on 127.0.0.1.
const pipeline = usePipelines();

describe('streaming over ZeroMQ', () => {
  it('a stateful producer and a stateless consumer in two runners: every message arrives, then the producer is done', async () => {
    const pipe = pipeline({ flows: parseFlows({ main: 'green >> yellow' }) });
    const green = pipe.node({
      name: 'green',
      childs: ['yellow'],
      ...(await overZeroMq()),
      algorithm: {
        start: (_args, api) => {
          for (let i = 0; i < 20; i++) api.sendMessage({ i, bytes: Buffer.from([i]) });
          return 'sent';
        },
      },
    });
    const { got } = pipe.collectingChild(await overZeroMq());
    await pipe.launch(green);
    await green.worker.next('done');
    await until(() => got.length === 20, '20 messages at yellow');
    expect(got.map((m) => (m as { i: number }).i)).toEqual([...Array(20).keys()]);
    expect(Buffer.from((got[3] as { bytes: Uint8Array }).bytes)).toEqual(Buffer.from([3]));
    expect(green.worker.commands.filter((c) => c !== 'streamingStatistics')).toEqual(['initialized', 'started', 'storing', 'done']);
  });
});
