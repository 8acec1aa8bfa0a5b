import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../src/cli/json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a":1,}', 7, 'unexpected "}"'],
    ['[1,2', 4, 'unexpected end of input'],
    ['{"a" 1}', 5, 'unexpected "1"'],
    ['\n\n  [,]', 5, 'unexpected ","'],
  ])('%j: offset %d', (text, offset, problem) => {
    expect(findJsonSyntaxError(text)).toEqual({ offset, problem });
  });

  it('agrees with JSON.parse on valid and mutated documents', () => {
    const base = JSON.stringify({ name: 'p', nodes: [{ nodeName: 'A', input: ['@flowInput.x', 1.5e3, -0, true, null, 'é\\n\u0001'] }], flowInput: { x: [] } }, null, 1);
    const pieces = ['', ',', '}', ']', '"', ':', '1', '-', 'e', '\\', 'x', ' '];
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    expect(findJsonSyntaxError(base)).toBeUndefined();
    for (let round = 0; round < 2000; round += 1) {
      const at = random(base.length);
      const text = base.slice(0, at) + pieces[random(pieces.length)]! + base.slice(at + random(3));
      expect(findJsonSyntaxError(text) === undefined, text).toBe(parses(text));
    }
  });
});
