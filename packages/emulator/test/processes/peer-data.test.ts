import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { createEmulator, type Emulator } from '../../src/index.js';
import { wrapperCommand } from '../support/built.js';

// Two nodes run as hkube-wrapper processes; the child reads its parent's output from the parent's
// ZeroMQ data server on 127.0.0.1, as pods do (the parent's debug log shows what it served).
const pipeline = {
  name: 'peer',
  nodes: [
    { nodeName: 'producer', algorithmName: 'producer', input: [{ rows: '@flowInput.rows', tag: 'made' }] },
    { nodeName: 'consumer', algorithmName: 'consumer', input: ['@producer.0.rows', '@producer.0.tag'] },
  ],
  flowInput: { rows: [1, 2, 3] },
};

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function run(peerData: boolean | undefined): Promise<{ data: unknown; producerLog: string }> {
  let producerLog = '';
  emulator = await createEmulator({
    ...(peerData === undefined ? {} : { peerData }),
    onProcessOutput: (algorithmName, stream, text) => {
      if (algorithmName === 'producer' && stream === 'stderr') producerLog += text;
    },
  });
  const env = { WORKER_ALGORITHM_ENCODING: 'msgpack', HKUBE_LOG_LEVEL: 'debug' };
  emulator.registerAlgorithm('producer', wrapperCommand('echo-input.mjs', env));
  emulator.registerAlgorithm('consumer', wrapperCommand('echo-input.mjs', env));
  const result = await emulator.run(pipeline);
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return { data: result.data, producerLog };
}

describe('peer data between process nodes', () => {
  const expected = [{ nodeName: 'consumer', algorithmName: 'consumer', result: [[1, 2, 3], 'made'] }];

  it('the child reads its parent output from the parent data server', async () => {
    const { data, producerLog } = await run(undefined);
    expect(data).toEqual(expected);
    expect(producerLog).toContain('peer data server listening on ports');
    // Both references name the same output: one request, one task.
    expect(producerLog).toContain('peer data server: served 1 of 1 task(s)');
  });

  it('goes through storage only when peerData is false', async () => {
    const { data, producerLog } = await run(false);
    expect(data).toEqual(expected);
    expect(producerLog).not.toContain('peer data server');
  });

  it('is turned off on the command line with --no-peer-data', () => {
    expect(parseCommandLine(['run', 'p.json', '-a', 'a.json'])).toMatchObject({ peerData: true });
    expect(parseCommandLine(['run', 'p.json', '-a', 'a.json', '--no-peer-data'])).toMatchObject({ peerData: false });
  });
});
