/**
 * Parsing of a stream pipeline's `streaming.flows` (§1.6 of the spec), with HKube's exact messages.
 * `"A >> B&C | B >> D"` gives `[{source: 'A', next: ['B', 'C']}, {source: 'B', next: ['D']}]`.
 */
import type { FlowStep, PipelineEdge } from './descriptor.js';
import { PipelineValidationError } from './errors.js';

/** The parsed flows of a stream pipeline. */
export interface ParsedFlows {
  /** Flow name → steps, one per source in order of first appearance. */
  readonly parsedFlow: Record<string, FlowStep[]>;
  /** The union of every flow's relations, with `types: ['customStream']`. */
  readonly edges: PipelineEdge[];
}

/**
 * Parses every flow. `nodeNames` are the pipeline's nodes.
 *
 * @throws {PipelineValidationError} `invalid stream flow <flow>`, `stream flow <flow> should have valid
 *   flow, example: A >> B`, `invalid node name after A`, `invalid node <X> in stream flow <flow>`,
 *   `invalid relation found A >> A in flow <flow>`, `duplicate relation found A >> B in flow <flow>`.
 */
export function parseFlows(flows: Readonly<Record<string, unknown>>, nodeNames: ReadonlySet<string>, pipelineName?: string): ParsedFlows {
  const fail = (message: string, nodeName?: string): never => {
    throw new PipelineValidationError(message, { pipelineName, nodeName });
  };
  const parsedFlow: Record<string, FlowStep[]> = {};
  const edges: PipelineEdge[] = [];
  const edgeKeys = new Set<string>();
  for (const [flowName, expression] of Object.entries(flows)) {
    if (typeof expression !== 'string' || expression === '') fail(`invalid stream flow ${flowName}`);
    const steps: { source: string; next: string[] }[] = [];
    const relations = new Set<string>();
    for (const part of (expression as string).replace(/\s/g, '').split('|')) {
      const groups = part.split('>>');
      if (groups.length === 1) fail(`stream flow ${flowName} should have valid flow, example: A >> B`);
      groups.forEach((group, index) => {
        const next = groups[index + 1];
        if (next === '') fail(`invalid node name after ${group}`);
        for (const source of group.split('&')) {
          if (!nodeNames.has(source)) fail(`invalid node ${source} in stream flow ${flowName}`, source);
          for (const target of next?.split('&') ?? []) {
            const key = `${source} >> ${target}`;
            if (source === target) fail(`invalid relation found ${key} in flow ${flowName}`, source);
            if (relations.has(key)) fail(`duplicate relation found ${key} in flow ${flowName}`, source);
            relations.add(key);
            if (!edgeKeys.has(key)) {
              edgeKeys.add(key);
              edges.push({ source, target, types: ['customStream'] });
            }
            const step = steps.find((candidate) => candidate.source === source);
            if (step === undefined) steps.push({ source, next: [target] });
            else step.next.push(target);
          }
        }
      });
    }
    parsedFlow[flowName] = steps;
  }
  return { parsedFlow, edges };
}
