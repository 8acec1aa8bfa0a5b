import { InvalidMessageError } from '../errors/protocol-errors.js';
import { fail, ok, type DecodeResult } from '../errors/result.js';
import type { StreamFlowStep } from '../messages/initialize.js';
import { ShapeViolation, join, requireArray, requireObject, requireString, requireStringArray } from '../messages/shape.js';

/**
 * Checks that a decoded value is a stream flow as HKube builds it (data-plane §4.3): an array of
 * `{source: string, next: string[]}` steps (other fields are kept). Never throws; the error names the
 * offending element (`flow.1.next`).
 *
 * @example
 * ```ts
 * const flow = validateStreamFlow(codec.decode(frame).value);
 * if (flow.ok) route(flow.value);
 * ```
 */
export function validateStreamFlow(value: unknown, path = 'flow'): DecodeResult<readonly StreamFlowStep[], InvalidMessageError> {
  try {
    const steps = requireArray(value, path);
    for (let i = 0; i < steps.length; i++) {
      const stepPath = join(path, i);
      const step = requireObject(steps[i], stepPath);
      requireString(step.source, join(stepPath, 'source'));
      requireStringArray(step.next, join(stepPath, 'next'));
    }
    return ok(steps as StreamFlowStep[]);
  } catch (error) {
    if (!(error instanceof ShapeViolation)) throw error;
    return fail(new InvalidMessageError(undefined, error.path, error.problem));
  }
}
