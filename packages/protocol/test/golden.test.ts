import { describe, expect, it } from 'vitest';
import { createSocketCodec } from '../src/index.js';

// The byte examples of worker-protocol §2.2, produced with the worker's own libraries.
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const GOLDEN = [
  {
    message: { command: 'initialized', data: undefined },
    json: '{"command":"initialized"}',
    bson: '29000000 03 6461746100 1e000000 02 636f6d6d616e6400 0c000000 696e697469616c697a656400 00 00',
    msgpack: '82 a7 636f6d6d616e64 ab 696e697469616c697a6564 a4 64617461 c0',
  },
  {
    message: { command: 'stop', data: { forceStop: true } },
    json: '{"command":"stop","data":{"forceStop":true}}',
    bson: '39000000 03 6461746100 2e000000 02 636f6d6d616e6400 05000000 73746f7000 03 6461746100 11000000 08 666f72636553746f7000 01 00 00 00',
    msgpack: '82 a7 636f6d6d616e64 a4 73746f70 a4 64617461 81 a9 666f72636553746f70 c3',
  },
  {
    message: { command: 'exit', data: { exitCode: 0 } },
    json: '{"command":"exit","data":{"exitCode":0}}',
    bson: '3b000000 03 6461746100 30000000 02 636f6d6d616e6400 05000000 6578697400 03 6461746100 13000000 10 65786974436f646500 00000000 00 00 00',
    msgpack: '82 a7 636f6d6d616e64 a4 65786974 a4 64617461 81 a8 65786974436f6465 00',
  },
  {
    message: { command: 'errorMessage', error: { code: 'Failed', message: 'boom' } },
    json: '{"command":"errorMessage","error":{"code":"Failed","message":"boom"}}',
    bson: '59000000 03 6461746100 4e000000 02 636f6d6d616e6400 0d000000 6572726f724d65737361676500 03 6572726f7200 28000000 02 636f646500 07000000 4661696c656400 02 6d65737361676500 05000000 626f6f6d00 00 00 00',
    msgpack: '82 a7 636f6d6d616e64 ac 6572726f724d657373616765 a5 6572726f72 82 a4 636f6465 a6 4661696c6564 a7 6d657373616765 a4 626f6f6d',
  },
] as const;

describe('socket framing golden vectors (worker-protocol §2.2)', () => {
  for (const golden of GOLDEN) {
    const { message } = golden;
    const name = message.command;
    it(`${name}: json is the exact text frame`, () => {
      const frame = createSocketCodec('json').encode(message);
      expect(typeof frame).toBe('string');
      expect(frame).toBe(golden.json);
    });
    it(`${name}: bson is the exact {data: message} document`, () => {
      const frame = createSocketCodec('bson').encode(message);
      expect(Buffer.isBuffer(frame)).toBe(true);
      expect((frame as Buffer).toString('hex')).toBe(hex(golden.bson).toString('hex'));
    });
    it(`${name}: msgpack is the exact bare message`, () => {
      const frame = createSocketCodec('msgpack').encode(message);
      expect((frame as Buffer).toString('hex')).toBe(hex(golden.msgpack).toString('hex'));
    });
    for (const encoding of ['json', 'bson', 'msgpack'] as const) {
      it(`${name}: the ${encoding} golden bytes decode to the message`, () => {
        const frame = encoding === 'json' ? golden.json : hex(golden[encoding]);
        const decoded = createSocketCodec(encoding).decodeFrame(frame);
        expect(decoded.ok).toBe(true);
        const value = decoded.ok ? (decoded.value as Record<string, unknown>) : {};
        expect(value.command).toBe(message.command);
        expect(value.data ?? null).toEqual('data' in message ? (message.data ?? null) : null);
      });
    }
  }

  it('byte counts match the spec', () => {
    const sizes = GOLDEN.map((g) => [g.json.length, hex(g.bson).length, hex(g.msgpack).length]);
    expect(sizes).toEqual([[25, 41, 27], [44, 57, 31], [40, 59, 30], [69, 89, 54]]);
  });
});
