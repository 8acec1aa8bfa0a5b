import { describe, expect, it } from 'vitest';
import {
  DATA_TYPE, ENCODING_NAMES, PROTOCOL_TYPE, STREAM_SIGNAL, StreamFrameError, createConsumerNameReader, createHeader, createStreamFlowReader, encodeDoneFrames, encodeMessageFrames,
  encodeNoMessageFrames, encodeReadyFrames, encodeStreamFlow, getCodec, parseConsumerFrames, parseProducerFrames, validateStreamFlow,
} from '../src/index.js';

const msgpack = getCodec('msgpack');
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('stream signals (data-plane §4.2)', () => {
  it('uses the documented bytes', () => {
    expect(STREAM_SIGNAL).toEqual({ READY: 1, DONE: 2, EMPTY: 3, MSG: 4, NO_MSG: 5 });
  });
});

describe.each(ENCODING_NAMES)('stream frames in %s', (encoding) => {
  const codec = getCodec(encoding);
  const flow = [{ source: 'B', next: ['C', 'D'] }, { source: 'C', next: ['E'] }];

  it('builds READY as [0x01, encode(name), 0x03] and reads it back', () => {
    const frames = encodeReadyFrames(codec, 'B');
    expect(frames).toHaveLength(3);
    expect([...(frames[0] as Uint8Array)]).toEqual([1]);
    expect(Buffer.from(frames[1] as Uint8Array).equals(codec.encode('B'))).toBe(true);
    expect([...(frames[2] as Uint8Array)]).toEqual([3]);
    expect(parseConsumerFrames(codec, frames)).toEqual({ ok: true, value: { kind: 'ready', consumerName: 'B' } });
  });

  it('builds DONE as [0x02, encode(name), encode({duration})] and reads the float duration back', () => {
    const name = codec.encode('B');
    const frames = encodeDoneFrames(codec, name, 12.5);
    expect([...(frames[0] as Uint8Array)]).toEqual([2]);
    expect(codec.decode(frames[2] as Uint8Array)).toEqual({ ok: true, value: { duration: 12.5 } });
    expect(parseConsumerFrames(codec, frames)).toEqual({ ok: true, value: { kind: 'done', consumerName: 'B', durationMs: 12.5 } });
  });

  it('builds MESSAGE as [0x04, encode(flow), header, payload] and reads it back', () => {
    const header = createHeader(DATA_TYPE.encoded, PROTOCOL_TYPE[encoding]);
    const payload = codec.encode({ n: 1 });
    const frames = encodeMessageFrames(encodeStreamFlow(codec, flow), header, payload);
    expect([...(frames[0] as Uint8Array)]).toEqual([4]);
    const read = parseProducerFrames(codec, frames);
    expect(read.ok && read.value).toEqual({ kind: 'message', flow, header, payload });
  });

  it('builds NO MESSAGE as [0x05]', () => {
    expect(encodeNoMessageFrames().map((frame) => [...frame])).toEqual([[5]]);
    expect(parseProducerFrames(codec, encodeNoMessageFrames())).toEqual({ ok: true, value: { kind: 'noMessage' } });
  });
});

describe('malformed stream frames are typed failures, never exceptions', () => {
  const header = createHeader(DATA_TYPE.encoded, PROTOCOL_TYPE.msgpack);
  const name = msgpack.encode('B');
  const consumerCases: [string, Uint8Array[]][] = [
    ['no frames', []],
    ['an unknown signal', [bytes(9), name, bytes(3)]],
    ['a 2-byte signal frame', [bytes(1, 1), name, bytes(3)]],
    ['a READY without filler', [bytes(1), name]],
    ['a READY with an extra frame', [bytes(1), name, bytes(3), bytes(0)]],
    ['an undecodable name', [bytes(1), bytes(0xc1), bytes(3)]],
    ['a name that is not a string', [bytes(1), msgpack.encode(7), bytes(3)]],
    ['an empty name', [bytes(1), msgpack.encode(''), bytes(3)]],
    ['a DONE without duration', [bytes(2), name, msgpack.encode({})]],
    ['a DONE with a string duration', [bytes(2), name, msgpack.encode({ duration: '3' })]],
    ['a DONE with an undecodable ack', [bytes(2), name, bytes(0xc1)]],
    ['a MSG sent to the producer', [bytes(4), name, bytes(3)]],
  ];
  it.each(consumerCases)('consumer side: %s', (_, frames) => {
    const read = parseConsumerFrames(msgpack, frames);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.error).toBeInstanceOf(StreamFrameError);
      expect(read.error.code).toBe('STREAM_FRAME_INVALID');
      expect(read.error.frameCount).toBe(frames.length);
    }
  });

  const flow = msgpack.encode([{ source: 'A', next: ['B'] }]);
  const producerCases: [string, Uint8Array[]][] = [
    ['no frames', []],
    ['a NO_MSG with extra frames', [bytes(5), bytes(0)]],
    ['a MSG with 3 frames', [bytes(4), flow, header]],
    ['a 7-byte header', [bytes(4), flow, header.subarray(1), bytes(1)]],
    ['an undecodable flow', [bytes(4), bytes(0xc1), header, bytes(1)]],
    ['a flow that is an object', [bytes(4), msgpack.encode({ source: 'A' }), header, bytes(1)]],
    ['a flow step without next', [bytes(4), msgpack.encode([{ source: 'A' }]), header, bytes(1)]],
    ['a READY sent to the listener', [bytes(1), name, bytes(3)]],
  ];
  it.each(producerCases)('producer side: %s', (_, frames) => {
    const read = parseProducerFrames(msgpack, frames);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.sender).toBe('producer');
  });
});

describe('validateStreamFlow', () => {
  it('accepts the api-server shape and keeps extra fields', () => {
    const flow = [{ source: 'A', next: ['B', 'C'], extra: 1 }, { source: 'B', next: [] }];
    expect(validateStreamFlow(flow)).toEqual({ ok: true, value: flow });
  });

  it('names the offending element', () => {
    const read = validateStreamFlow([{ source: 'A', next: ['B'] }, { source: 'B', next: ['C', 3] }]);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.path).toBe('flow.1.next.1');
  });
});

describe('createStreamFlowReader', () => {
  it('decodes a repeated flow frame once and returns the same frozen flow', () => {
    const read = createStreamFlowReader(msgpack);
    const frame = msgpack.encode([{ source: 'B', next: ['C'] }]);
    const first = read(frame);
    const second = read(Buffer.from(frame));
    expect(first.ok && second.ok && first.value === second.value).toBe(true);
    expect(first.ok && Object.isFrozen(first.value[0])).toBe(true);
    const other = read(msgpack.encode([{ source: 'B', next: ['D'] }]));
    expect(other).toEqual({ ok: true, value: [{ source: 'B', next: ['D'] }] });
  });

  it('fails on a frame that is not a flow, and is not fooled into reusing the last good one', () => {
    const read = createStreamFlowReader(msgpack);
    read(msgpack.encode([{ source: 'B', next: ['C'] }]));
    const bad = read(msgpack.encode([{ source: 'B', next: 'C' }]));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toBeInstanceOf(StreamFrameError);
  });
});

describe('createConsumerNameReader', () => {
  it('reads names like parseConsumerFrames does, remembering valid ones', () => {
    const read = createConsumerNameReader(msgpack, 1);
    expect(read(msgpack.encode('B'))).toEqual({ name: 'B' });
    expect(read(Buffer.from(msgpack.encode('B')))).toEqual({ name: 'B' });
    expect(read(msgpack.encode('C'))).toEqual({ name: 'C' }); // beyond the limit: decoded, not remembered
    expect(read(msgpack.encode(3))).toMatchObject({ problem: expect.stringContaining('not a non-empty string') as unknown });
    expect(parseConsumerFrames(msgpack, encodeReadyFrames(msgpack, 'B'), read)).toEqual({ ok: true, value: { kind: 'ready', consumerName: 'B' } });
  });
});
