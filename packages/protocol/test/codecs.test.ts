import { describe, expect, it } from 'vitest';
import {
  EncodeError, FrameDecodeError, UnsupportedEncodingError, createSocketCodec, getCodec,
} from '../src/index.js';

describe('codecs', () => {
  it('refuses an unknown encoding with a typed error', () => {
    expect(() => getCodec('protoc')).toThrow(UnsupportedEncodingError);
    expect(() => createSocketCodec('yaml')).toThrow(/unsupported encoding 'yaml'/);
  });

  it('reports values an encoding cannot carry as EncodeError', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => getCodec('json').encode(circular)).toThrow(EncodeError);
    expect(() => getCodec('msgpack').encode(10n)).toThrow(EncodeError);
    expect(() => createSocketCodec('json').encode({ command: 'done', data: 10n })).toThrow(/cannot encode value as json/);
  });

  it('json frames are text, binary frames are Buffers', () => {
    expect(createSocketCodec('json').frameType).toBe('text');
    expect(createSocketCodec('bson').frameType).toBe('binary');
    expect(typeof createSocketCodec('json').encode({ command: 'started' })).toBe('string');
  });

  it('decodes a json frame that arrives as binary, and fragmented binary frames', () => {
    const json = createSocketCodec('json');
    expect(json.decodeFrame(Buffer.from('{"command":"start"}'))).toEqual({ ok: true, value: { command: 'start' } });
    const msgpack = createSocketCodec('msgpack');
    const frame = msgpack.encode({ command: 'stop', data: { forceStop: false } }) as Buffer;
    const read = msgpack.decodeFrame([frame.subarray(0, 5), frame.subarray(5)]);
    expect(read).toEqual({ ok: true, value: { command: 'stop', data: { forceStop: false } } });
  });

  it('a text frame given to a binary codec is a decode error, not a crash', () => {
    const read = createSocketCodec('bson').decodeFrame('{"command":"start"}');
    expect(!read.ok && read.error).toBeInstanceOf(FrameDecodeError);
  });

  it('rejects a bson frame with trailing bytes and a truncated one', () => {
    const bson = getCodec('bson');
    const good = bson.encode({ a: 1 });
    expect(bson.decode(Buffer.concat([good, Buffer.from([0])])).ok).toBe(false);
    expect(bson.decode(good.subarray(0, good.length - 1)).ok).toBe(false);
  });

  it('msgpack bin values decode as Buffers', () => {
    const msgpack = getCodec('msgpack');
    const read = msgpack.decode(msgpack.encode({ b: Buffer.from([1, 2]) }));
    expect(read.ok && Buffer.isBuffer((read.value as { b: unknown }).b)).toBe(true);
  });
});

describe('bson and negative zero', () => {
  it('keeps the sign of -0 (bson 6 writes a double), which HKube’s bson 4 reads as -0 too', async () => {
    const { Encoding } = await import('@hkube/encoding');
    const bson = getCodec('bson');
    const bytes = bson.encode({ z: -0, n: 1 });
    const read = bson.decode(bytes);
    expect(read.ok && Object.is((read.value as { z: number }).z, -0)).toBe(true);
    const theirs = new Encoding({ type: 'bson' }).decode(bytes) as { z: number; n: number };
    expect(Object.is(theirs.z, -0)).toBe(true);
    expect(theirs.n).toBe(1);
  });
});

describe('bson documents larger than the serializer’s internal buffer', () => {
  it('encodes and decodes a 20 MiB buffer, and one with -0 values', () => {
    const bson = getCodec('bson');
    const big = { blob: Buffer.alloc(20 * 1024 * 1024, 3), zeros: Array.from({ length: 1000 }, () => -0) };
    const read = bson.decode(bson.encode(big));
    expect(read.ok).toBe(true);
    const value = read.ok ? (read.value as typeof big) : big;
    expect(value.blob.length).toBe(20 * 1024 * 1024);
    expect(Object.is(value.zeros[999], -0)).toBe(true);
  });
});
