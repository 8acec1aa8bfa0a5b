import { Encoding } from '@hkube/encoding';
import { describe, expect, it } from 'vitest';
import {
  DATA_TYPE, HEADER_LENGTH, PROTOCOL_TYPE, StoredDataError, createHeader, decodeStoredBlob, decodeStoredPayload,
  encodeStored, getCodec, readHeader, sniffHeader,
} from '../src/index.js';

const msgpack = getCodec('msgpack');
const bson = getCodec('bson');

describe('the HK header (data-plane §1)', () => {
  it('writes the documented bytes', () => {
    expect(createHeader(DATA_TYPE.encoded, PROTOCOL_TYPE.msgpack).toString('hex')).toBe('0108020300004' + '84b');
    expect(createHeader(DATA_TYPE.raw, PROTOCOL_TYPE.bson).toString('hex')).toBe('010801010000484b');
  });

  it('frames msgpack {a:1} as in the spec', () => {
    const { header, payload } = encodeStored({ a: 1 }, msgpack);
    expect(header.toString('hex')).toBe('010802030000484b');
    expect(payload.toString('hex')).toBe('81a16101');
  });

  it('frames a raw Buffer without copying its bytes (100 MB)', () => {
    const big = Buffer.allocUnsafe(100 * 1024 * 1024);
    const { header, payload } = encodeStored(big, bson);
    expect(header[2]).toBe(DATA_TYPE.raw);
    expect(payload).toBe(big);
    big[12_345] = 7;
    expect(payload[12_345]).toBe(7);
  });

  it('frames a plain Uint8Array as raw bytes over the same memory', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const { header, payload } = encodeStored(bytes, msgpack);
    expect(header[2]).toBe(DATA_TYPE.raw);
    expect(payload.buffer).toBe(bytes.buffer);
    expect(Buffer.isBuffer(payload)).toBe(true);
  });

  it('reads a raw blob back as a Buffer', () => {
    const { header, payload } = encodeStored(Buffer.from('raw!'), msgpack);
    const read = decodeStoredBlob(Buffer.concat([header, payload]), msgpack);
    expect(read.ok && Buffer.isBuffer(read.value) && read.value.toString()).toBe('raw!');
  });
});

describe('decoding stored data (data-plane §1.3)', () => {
  it('does not mistake a headerless msgpack {abcdHK: 1} for a header (the @hkube/encoding false positive)', () => {
    const blob = Buffer.from('81a661626364484b01', 'hex');
    const theirs: unknown = new Encoding({ type: 'msgpack' }).decode(blob, { customEncode: true });
    expect(Buffer.isBuffer(theirs)).toBe(true); // the oracle's bug, kept here as the reason for ours
    const ours = decodeStoredBlob(blob, msgpack);
    expect(ours).toEqual({ ok: true, value: { abcdHK: 1 } });
  });

  it('reads an empty raw buffer (header only, 8 bytes) as an empty Buffer', () => {
    const blob = createHeader(DATA_TYPE.raw, PROTOCOL_TYPE.msgpack);
    expect(blob.length).toBe(HEADER_LENGTH);
    const ours = decodeStoredBlob(blob, msgpack);
    expect(ours.ok && Buffer.isBuffer(ours.value) && ours.value.length).toBe(0);
  });

  it('reads headerless objects (flowInput, result.json) in every encoding', () => {
    for (const name of ['json', 'bson', 'msgpack']) {
      const codec = getCodec(name);
      const value = { flowInput: { files: ['a', 'b'] }, n: 3 };
      expect(decodeStoredBlob(codec.encode(value), codec)).toEqual({ ok: true, value });
      expect(decodeStoredPayload(codec.encode(value), undefined, codec)).toEqual({ ok: true, value });
    }
  });

  it('trusts a separate header (S3 metadata) and picks the codec named by its protocol byte', () => {
    const { header, payload } = encodeStored({ x: [1, 2] }, bson);
    expect(decodeStoredPayload(payload, header, msgpack)).toEqual({ ok: true, value: { x: [1, 2] } });
  });

  it('rejects a separate header that is not an HK header, and an empty blob, with StoredDataError', () => {
    const bad = decodeStoredPayload(Buffer.from([1, 2]), Buffer.from('nonsense'), msgpack);
    expect(!bad.ok && bad.error).toBeInstanceOf(StoredDataError);
    const empty = decodeStoredBlob(Buffer.alloc(0), msgpack);
    expect(!empty.ok && empty.error.code).toBe('STORED_DATA_INVALID');
  });

  it('sniffs strictly: only a complete, well-formed header counts', () => {
    expect(sniffHeader(Buffer.from('010802030000484b', 'hex'))).toEqual({ dataType: 2, protocolType: 3 });
    expect(sniffHeader(Buffer.from('010803030000484b', 'hex'))).toBeUndefined();
    expect(sniffHeader(Buffer.from('010802070000484b', 'hex'))).toBeUndefined();
    expect(sniffHeader(Buffer.from('000802030000484b', 'hex'))).toBeUndefined();
    expect(sniffHeader(Buffer.from('01080203000048', 'hex'))).toBeUndefined();
    expect(readHeader(Buffer.from('000002000000484b', 'hex'))).toEqual({ dataType: 2, protocolType: 0 });
  });
});
