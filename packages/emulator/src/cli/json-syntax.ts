/**
 * Locates the first JSON syntax error in a text, for messages that say where it is on every Node
 * version (V8's own messages do not always give a position).
 */

/** Where and what the first syntax error is. */
export interface JsonSyntaxProblem {
  /** 0-based character offset. */
  readonly offset: number;
  /** What was found there, e.g. `unexpected ','` or `unexpected end of input`. */
  readonly problem: string;
}

class Fail extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

/** Scans `text` as JSON; `undefined` when it is valid. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const expect = (char: string): void => {
    if (text[i] !== char) throw new Fail(i);
    i += 1;
  };
  const literal = (word: string): void => {
    for (const char of word) expect(char);
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (i >= text.length) throw new Fail(i);
      const char = text[i]!;
      if (char === '"') {
        i += 1;
        return;
      }
      if (char < ' ') throw new Fail(i);
      if (char === '\\') {
        i += 1;
        const escape = text[i];
        if (escape === 'u') {
          for (let k = 1; k <= 4; k += 1) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) throw new Fail(i + k);
          i += 5;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) throw new Fail(i);
      }
      i += 1;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null || match[0] === '' || match[0] === '-') throw new Fail(i);
    i += match[0].length;
  };
  const value = (): void => {
    ws();
    const char = text[i];
    if (char === '{') {
      i += 1;
      ws();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        expect('}');
        return;
      }
    }
    if (char === '[') {
      i += 1;
      ws();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        expect(']');
        return;
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    number();
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Fail(i);
    return undefined;
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    const found = text[error.offset];
    return { offset: error.offset, problem: found === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(found)}` };
  }
}
