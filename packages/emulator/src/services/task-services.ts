/**
 * The Code API services of one task: algorithm executions, sub-pipelines and data sources.
 */
import { AlgorithmExecutions, type AlgorithmExecutionHost } from './algorithm-executions.js';
import { resolveDataSource } from './data-sources.js';
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
  /** Where data sources live: one directory per data source id (none: every request fails). */
  readonly dataSourcesDir?: string | undefined;
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
        case 'dataSourceRequest':
          void resolveDataSource(options.dataSourcesDir, message.data.requestId, message.data.dataSource).then((reply) => caller.reply(reply));
          return;
      }
    },
    close(reason: string): void {
      executions.close(reason);
      subPipelines.close(reason);
    },
  };
}
