import { Encoding } from '@hkube/encoding';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeStoredBlob, decodeStoredPayload, encodeStored, getCodec, type EncodingName } from '../src/index.js';
import { normalise, vectors } from './vectors.js';

// Differential tests against @hkube/encoding 2.0.1, the library HKube's worker and Node wrapper use.
const ENCODINGS: EncodingName[] = ['json', 'bson', 'msgpack'];

// node's deep equality: vitest's matcher is far too slow on the 10 MB vector (10M array items in json).
function expectSame(actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(normalise(actual), normalise(expected))) {
    expect(normalise(actual)).toEqual(normalise(expected));
  }
}

function bytesOf(frame: unknown): Buffer {
  return typeof frame === 'string' ? Buffer.from(frame) : Buffer.from(frame as Uint8Array);
}

describe.each(ENCODINGS)('%s against @hkube/encoding', (encoding) => {
  const oracle = new Encoding({ type: encoding });
  const codec = getCodec(encoding);
  const cases = vectors().filter((v) => !(v.skip ?? []).includes(encoding));

  describe('on the socket (no header)', () => {
    it.each(cases)('$name: same bytes, and each side decodes the other', ({ value }) => {
      const ours = codec.encode(value);
      const theirs = bytesOf(oracle.encode(value));
      expect(ours.equals(theirs)).toBe(true);
      const decodedByOracle: unknown = oracle.decode(encoding === 'json' ? ours.toString() : ours);
      const decodedByUs = codec.decode(theirs);
      expect(decodedByUs.ok).toBe(true);
      if (decodedByUs.ok) expectSame(decodedByUs.value, decodedByOracle);
    });
  });

  describe('in storage (with the HK header)', () => {
    it.each(cases)('$name: our framing decodes with theirs and theirs with ours', ({ value }) => {
      const ours = encodeStored(value, codec);
      const encoded = oracle.encodeHeaderPayload(value);
      const theirs = { header: encoded.header, payload: bytesOf(encoded.payload) };
      const theirsReadsOurs: unknown = oracle.decodeHeaderPayload(ours.header, ours.payload);
      const oursReadsTheirs = decodeStoredPayload(theirs.payload, theirs.header, codec);
      const oursReadsTheirBlob = decodeStoredBlob(Buffer.concat([theirs.header, theirs.payload]), codec);
      expect(oursReadsTheirs.ok && oursReadsTheirBlob.ok).toBe(true);
      const expected = oracle.decodeHeaderPayload(theirs.header, theirs.payload);
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
        // Our decision: any Uint8Array is stored raw (data type 1), where @hkube/encoding encodes a
        // non-Buffer one. HKube's readers get the same bytes back, as a Buffer.
        expect(ours.header[2]).toBe(1);
        expect(Buffer.from(value).equals(theirsReadsOurs as Buffer)).toBe(true);
      } else {
        // Raw Buffers and encoded values: the very bytes @hkube/encoding writes.
        expect(ours.header.equals(theirs.header)).toBe(true);
        expect(ours.payload.equals(theirs.payload)).toBe(true);
        expectSame(theirsReadsOurs, expected);
      }
      if (oursReadsTheirs.ok) expectSame(oursReadsTheirs.value, expected);
      if (oursReadsTheirBlob.ok) expectSame(oursReadsTheirBlob.value, expected);
    });
  });
});
