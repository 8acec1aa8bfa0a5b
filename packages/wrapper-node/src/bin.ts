#!/usr/bin/env node
// `hkube-wrapper`: what an algorithm image runs. Loads the algorithm from ALGORITHM_PATH /
// ALGORITHM_ENTRY_POINT and serves the worker. A module that cannot be loaded is reported to the
// worker as an errorMessage on initialize (so the platform shows why), not as a silent crash.
import { ENV, ENV_DEFAULTS, ensureError } from '@hkube-ts/protocol';
import { loadAlgorithm } from './algorithm/loader.js';
import type { Algorithm } from './algorithm/types.js';
import { run } from './run.js';

function failingAlgorithm(error: Error): Algorithm {
  const fail = (): never => {
    throw error;
  };
  return { init: fail, start: fail };
}

async function main(): Promise<void> {
  const env = process.env;
  const algorithmPath = env[ENV.ALGORITHM_PATH] || ENV_DEFAULTS.ALGORITHM_PATH;
  const entryPoint = env[ENV.ALGORITHM_ENTRY_POINT] || ENV_DEFAULTS.ALGORITHM_ENTRY_POINT;
  let algorithm: Algorithm;
  try {
    algorithm = await loadAlgorithm({ algorithmPath, entryPoint });
  } catch (thrown) {
    const error = ensureError(thrown);
    process.stderr.write(`[hkube-wrapper] error ${error.message}\n`);
    algorithm = failingAlgorithm(error);
  }
  await run(algorithm);
}

main().catch((error: unknown) => {
  process.stderr.write(`[hkube-wrapper] error ${ensureError(error).message}\n`);
  process.exit(1);
});
