import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { wrapperBin } from '../support/built.js';
import { callerPipeline, greenAlg, onlyResult, quiet } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('the Code API from an algorithm process', () => {
  it.each([
    ['bson', 'v3'],
    ['json', 'v1'],
  ])('startAlgorithm and a raw sub-pipeline work from a process under hkube-wrapper (encoding %s, storage %s)', async (encoding, storage) => {
    emulator = await createEmulator({ logger: quiet });
    emulator.registerAlgorithm('green-alg', greenAlg);
    emulator.registerAlgorithm('caller', {
      command: [process.execPath, wrapperBin()],
      cwd: fixtures,
      env: { ALGORITHM_PATH: '.', ALGORITHM_ENTRY_POINT: 'caller.mjs', WORKER_ALGORITHM_ENCODING: encoding, STORAGE_PROTOCOL: storage },
    });
    const result = await emulator.run(callerPipeline('caller', [{ deep: [42] }]));
    expect(onlyResult(result)).toEqual({ single: { deep: [42] }, sub: [{ nodeName: 'one', algorithmName: 'green-alg', result: { deep: [42] } }] });
  });
});
