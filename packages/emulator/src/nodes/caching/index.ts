/** Run from node (HKube's caching, pipeline-semantics §5.3): job records, planning, and their errors. */
export { CachedJobNotFoundError, CachedOutputMissingError, RunFromNodeNotAllowedError } from './errors.js';
export { JobRecorder, jobRecordPath, readJobRecord, type JobRecord, type JobRecorderOptions, type TaskOutputRecord } from './job-record.js';
export { loadCachedOutputs, planRunFromNode, type RunFromNodePlan } from './plan.js';
