import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALGORITHM_COMMANDS, WORKER_COMMANDS, isAlgorithmCommand, isWorkerCommand,
  type AlgorithmCommand, type AlgorithmMessageOf, type MessageOf, type ProtocolCommand, type StopData, type StorageDescriptor,
  type WorkerCommand, type WorkerMessageOf,
} from '../src/messages/index.js';

describe('command constants', () => {
  it('list the exact wire names of spec §3.1/§3.2 plus the relay-only commands', () => {
    expect(Object.values(WORKER_COMMANDS).sort()).toStrictEqual(
      [
        'initialize', 'start', 'stop', 'exit', 'serviceDiscoveryUpdate', 'subPipelineStarted', 'subPipelineDone', 'subPipelineError',
        'subPipelineStopped', 'algorithmExecutionDone', 'algorithmExecutionError', 'dataSourceResponse', 'streamingInMessage',
        'alreadyConnectedError',
      ].sort(),
    );
    expect(Object.values(ALGORITHM_COMMANDS).sort()).toStrictEqual(
      [
        'initialized', 'started', 'storing', 'done', 'errorMessage', 'stopping', 'stopped', 'progress', 'alive', 'servingStatus',
        'streamingStatistics', 'dataSourceRequest', 'startAlgorithmExecution', 'stopAlgorithmExecution', 'startRawSubPipeline',
        'startStoredSubPipeline', 'stopSubPipeline', 'startSpan', 'finishSpan', 'logData', 'streamingOutMessage', 'streamingInMessageDone',
      ].sort(),
    );
    for (const [key, name] of [...Object.entries(WORKER_COMMANDS), ...Object.entries(ALGORITHM_COMMANDS)]) expect(key).toBe(name);
  });

  it('no name is used in both directions', () => {
    const worker = new Set<string>(Object.values(WORKER_COMMANDS));
    expect(Object.values(ALGORITHM_COMMANDS).filter((name) => worker.has(name))).toStrictEqual([]);
  });

  it('are frozen', () => {
    expect(Object.isFrozen(WORKER_COMMANDS)).toBe(true);
    expect(Object.isFrozen(ALGORITHM_COMMANDS)).toBe(true);
  });

  it('guards accept only their own direction and ignore prototype names', () => {
    expect(isWorkerCommand('initialize')).toBe(true);
    expect(isWorkerCommand('initialized')).toBe(false);
    expect(isAlgorithmCommand('initialized')).toBe(true);
    expect(isAlgorithmCommand('initialize')).toBe(false);
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty', '']) {
      expect(isWorkerCommand(name)).toBe(false);
      expect(isAlgorithmCommand(name)).toBe(false);
    }
  });

  it('types match the constants', () => {
    expectTypeOf<(typeof WORKER_COMMANDS)[keyof typeof WORKER_COMMANDS]>().toEqualTypeOf<WorkerCommand>();
    expectTypeOf<(typeof ALGORITHM_COMMANDS)[keyof typeof ALGORITHM_COMMANDS]>().toEqualTypeOf<AlgorithmCommand>();
    expectTypeOf<ProtocolCommand>().toEqualTypeOf<WorkerCommand | AlgorithmCommand>();
    expectTypeOf<MessageOf<'stop'>>().toEqualTypeOf<WorkerMessageOf<'stop'>>();
    expectTypeOf<MessageOf<'stop'>['data']>().toEqualTypeOf<StopData>();
    expectTypeOf<MessageOf<'storing'>>().toEqualTypeOf<AlgorithmMessageOf<'storing'>>();
    expectTypeOf<MessageOf<'storing'>['data']>().toEqualTypeOf<StorageDescriptor>();
    expectTypeOf<MessageOf<'errorMessage'>['error']['message']>().toEqualTypeOf<string>();
  });
});
