import { describe, expect, it } from 'vitest';
import {
  decodePeerRequest, encodePeerRequest, encodeStored, getCodec, isPeerPing, isPeerPong, notAvailablePair, parsePeerReply,
  PeerMessageError, readDiscoveryEnv, replyFrames, unknownErrorPair, InvalidEnvironmentError,
} from '../src/index.js';

const msgpack = getCodec('msgpack');
const bson = getCodec('bson');

describe('peer request frames', () => {
  it('encodes {tasks} plain, without a header, and decodes it back', () => {
    const frame = encodePeerRequest(['a:1', 'b:2'], msgpack);
    expect(frame.toString('hex')).toBe('81a57461736b7392a3613a31a3623a32');
    expect(decodePeerRequest(frame, msgpack)).toEqual({ ok: true, value: { tasks: ['a:1', 'b:2'] } });
  });

  it('reports undecodable or ill-shaped requests as PeerMessageError, never throwing', () => {
    for (const frame of [Buffer.from([0xc1]), msgpack.encode({ tasks: [1] }), msgpack.encode({ task: [] }), msgpack.encode(null), undefined]) {
      const read = decodePeerRequest(frame, msgpack);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.error).toBeInstanceOf(PeerMessageError);
    }
    expect(decodePeerRequest(encodePeerRequest(['x'], bson), msgpack).ok).toBe(false);
  });

  it('recognises ping and pong exactly', () => {
    expect(isPeerPing(Buffer.from('ping'))).toBe(true);
    expect(isPeerPing(Buffer.from('ping '))).toBe(false);
    expect(isPeerPong(new Uint8Array([0x70, 0x6f, 0x6e, 0x67]))).toBe(true);
    expect(isPeerPong(undefined)).toBe(false);
  });
});

describe('peer reply frames', () => {
  it('builds error pairs with the DISCOVERY protocol byte', () => {
    const pair = notAvailablePair(bson);
    expect(pair.header.toString('hex')).toBe('010802010000484b');
    expect(bson.decode(pair.payload)).toEqual({ ok: true, value: { hkube_error: { code: 'notAvailable', message: 'taskId notAvailable' } } });
    expect(msgpack.decode(unknownErrorPair('bad', msgpack).payload)).toEqual({ ok: true, value: { hkube_error: { code: 'unknown', message: 'bad' } } });
  });

  it('parses 2 × N frames in order, decoding each payload by its header byte 3', () => {
    const frames = replyFrames([encodeStored({ a: 1 }, bson), notAvailablePair(msgpack), encodeStored(Buffer.from('r'), msgpack)]);
    const items = parsePeerReply(frames, 3, msgpack);
    expect(items[0]).toEqual({ ok: true, value: { a: 1 }, size: frames[1]?.length });
    expect(items[1]).toMatchObject({ ok: false, code: 'notAvailable' });
    expect(items[2]).toEqual({ ok: true, value: Buffer.from('r'), size: 1 });
  });

  it('spreads a single error pair over every task, and flags a wrong frame count', () => {
    expect(parsePeerReply(replyFrames([unknownErrorPair('x', msgpack)]), 3, msgpack).map((item) => item.ok || item.code)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(parsePeerReply([Buffer.alloc(8)], 2, msgpack).map((item) => item.ok || item.code)).toEqual(['invalid', 'invalid']);
    const garbage = parsePeerReply([Buffer.from('not a header'), Buffer.from([0xc1])], 1, msgpack);
    expect(garbage[0]).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe('readDiscoveryEnv', () => {
  it('applies the Node wrapper defaults and reads overrides', () => {
    expect(readDiscoveryEnv({})).toEqual({
      enabled: true, podIp: '127.0.0.1', port: 9020, encoding: 'bson', timeoutMs: 10_000, networkTimeoutMs: 1000,
      maxCacheSizeMb: 500, servingReportIntervalMs: 5000, concurrency: 50,
    });
    expect(readDiscoveryEnv({ DISCOVERY_ENABLE: 'False', DISCOVERY_PORT: '9100', POD_IP: '10.0.0.5', DISCOVERY_ENCODING: 'msgpack' })).toMatchObject({
      enabled: false, port: 9100, podIp: '10.0.0.5', encoding: 'msgpack',
    });
  });

  it('rejects unusable values', () => {
    for (const env of [{ DISCOVERY_ENABLE: 'maybe' }, { DISCOVERY_PORT: '65535' }, { DISCOVERY_TIMEOUT: '-1' }, { DISCOVERY_CONCURRENCY: '1.5' }]) {
      expect(() => readDiscoveryEnv(env)).toThrow(InvalidEnvironmentError);
    }
  });
});
