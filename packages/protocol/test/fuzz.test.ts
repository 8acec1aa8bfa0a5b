import { describe, expect, it } from 'vitest';
import {
  ProtocolError, createSocketCodec, decodeStoredBlob, decodeStoredPayload, getCodec, type DecodeResult, type EncodingName,
} from '../src/index.js';
import { prng, randomBytes, randomValue } from './random.js';

const ENCODINGS: EncodingName[] = ['json', 'bson', 'msgpack'];
const RUNS = 10_000;

// Checked without expect() per call: 10,000 matcher calls per case would dominate the run time.
function expectSettled(run: () => DecodeResult<unknown>): void {
  let result: DecodeResult<unknown> | undefined;
  try {
    result = run();
  } catch (error) {
    expect.fail(`a decoder threw: ${String(error)}`);
  }
  if (result === undefined || (!result.ok && !(result.error instanceof ProtocolError))) {
    expect.fail(`a decoder returned ${JSON.stringify(result)} instead of a value or a ProtocolError`);
  }
}

describe.each(ENCODINGS)('fuzzing every %s decoder', (encoding) => {
  const codec = getCodec(encoding);
  const socket = createSocketCodec(encoding);
  const decoders: Array<[string, (input: never) => DecodeResult<unknown>]> = [
    ['codec.decode', (input) => codec.decode(input)],
    ['socket.decodeFrame', (input) => socket.decodeFrame(input)],
    ['socket.readWorkerMessage', (input) => socket.readWorkerMessage(input)],
    ['socket.readAlgorithmMessage', (input) => socket.readAlgorithmMessage(input)],
    ['decodeStoredBlob', (input) => decodeStoredBlob(input, codec)],
    ['decodeStoredPayload (no header)', (input) => decodeStoredPayload(input, undefined, codec)],
  ];

  it.each(decoders)('%s: 10,000 random byte strings give a value or a ProtocolError', (_name, decode) => {
    const rand = prng(0xc0ffee);
    for (let i = 0; i < RUNS; i++) {
      const bytes = randomBytes(rand);
      // Half of them start with an HK header, to reach the framed paths.
      if (i % 2 === 0 && bytes.length >= 8) bytes.set([1, 8, 1 + (i % 4 === 0 ? 1 : 0), 1 + (i % 3), 0, 0, 0x48, 0x4b]);
      expectSettled(() => decode(bytes as never));
    }
  });

  it.each(decoders)('%s: 10,000 random values (not bytes) give a value or a ProtocolError', (_name, decode) => {
    const rand = prng(7);
    for (let i = 0; i < RUNS; i++) expectSettled(() => decode(randomValue(rand) as never));
  });

  it('random encoded values decode to a value or a ProtocolError, and messages validate without throwing', () => {
    const rand = prng(99);
    for (let i = 0; i < RUNS; i++) {
      let frame: string | Buffer;
      try {
        frame = socket.encode(randomValue(rand) as never);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        continue;
      }
      expectSettled(() => socket.readWorkerMessage(frame));
      expectSettled(() => socket.readAlgorithmMessage(frame));
    }
  });

  it('truncations of a valid frame never escape', () => {
    const frame = socket.encode({ command: 'errorMessage', error: { code: 'Failed', message: 'x'.repeat(50) } });
    const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
    for (let cut = 0; cut < bytes.length; cut++) {
      expectSettled(() => socket.readAlgorithmMessage(bytes.subarray(0, cut)));
      expectSettled(() => decodeStoredBlob(bytes.subarray(0, cut), codec));
    }
  });

  it('a separate header of random bytes never escapes', () => {
    const rand = prng(5);
    for (let i = 0; i < RUNS; i++) expectSettled(() => decodeStoredPayload(randomBytes(rand, 16), randomBytes(rand, 12), codec));
  });
});
