/**
 * The Code API services of one task: algorithm executions, sub-pipelines, and the data-source
 * requests the emulator answers with an error.
 */
import { AlgorithmExecutions, type AlgorithmExecutionHost } from './algorithm-executions.js';
import { CodeApiRequestRefusedError } from './errors.js';
import { SubPipelines, type SubPipelineLauncher } from './subpipelines.js';
import type { CallerConnection, CodeApiRequestMessage, TaskServices } from './types.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';

/** What the services of a task are built from. */
export interface TaskServicesOptions {
  /** Runs child algorithm executions in the task's job. */
  readonly executions: AlgorithmExecutionHost;
  /** Starts sub-pipeline jobs. */
  readonly launchSubPipeline: SubPipelineLauncher;
  /** The task's storage (where sub-pipeline results are written for the caller). */
  readonly storage: EmulatorStorage;
}

/** Creates the Code API services of one task. */
export function createTaskServices(options: TaskServicesOptions): TaskServices {
  const executions = new AlgorithmExecutions(options.executions);
  const subPipelines = new SubPipelines(options.launchSubPipeline, options.storage);
  return {
    handle(message: CodeApiRequestMessage, caller: CallerConnection): void {
      switch (message.command) {
        case 'startAlgorithmExecution':
          executions.start(message.data, caller);
          return;
        case 'stopAlgorithmExecution':
          executions.stop(message.data, caller);
          return;
        case 'startRawSubPipeline':
        case 'startStoredSubPipeline':
          subPipelines.start(message.command, message.data, caller);
          return;
        case 'stopSubPipeline':
          subPipelines.stop(message.data, caller);
          return;
        case 'dataSourceRequest': {
          const error = new CodeApiRequestRefusedError('dataSourcesUnsupported');
          caller.reply({ command: 'dataSourceResponse', data: { requestId: message.data.requestId, error: error.message } });
          return;
        }
      }
    },
    close(reason: string): void {
      executions.close(reason);
      subPipelines.close(reason);
    },
  };
}
