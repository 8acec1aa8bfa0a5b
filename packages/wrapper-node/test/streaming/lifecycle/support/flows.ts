import type { ParsedFlow } from '@hkube-ts/protocol';

/** Builds `parsedFlow` from HKube's flow strings (`"A >> B&C >> D"`). */
export function parseFlows(flows: Record<string, string>): ParsedFlow {
  const parsed: Record<string, Array<{ source: string; next: string[] }>> = {};
  for (const [name, text] of Object.entries(flows)) {
    const steps: Array<{ source: string; next: string[] }> = [];
    for (const expression of text.replace(/\s/g, '').split('|')) {
      const parts = expression.split('>>').map((part) => part.split('&'));
      for (let i = 0; i + 1 < parts.length; i++) {
        for (const source of parts[i]!) {
          let step = steps.find((s) => s.source === source);
          if (!step) steps.push((step = { source, next: [] }));
          for (const target of parts[i + 1]!) if (!step.next.includes(target)) step.next.push(target);
        }
      }
    }
    parsed[name] = steps;
  }
  return parsed;
}
