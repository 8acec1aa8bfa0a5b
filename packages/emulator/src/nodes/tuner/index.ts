/** The `hyperparamsTuner` node kind (pipeline-semantics §5.2). */
export { TunerObjectiveError, TunerSpecError } from './errors.js';
export { runTuner, type RunTunerOptions, type TunerLauncher } from './run-tuner.js';
