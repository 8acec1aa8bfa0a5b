// Socket codecs: ours (@hkube-ts/protocol, built) against @hkube/encoding 2.0.1 in the same run.
import { Encoding } from '@hkube/encoding';
import { createSocketCodec, decodeStoredBlob, encodeStored, getCodec } from '@hkube-ts/protocol';
import { compare, printTable } from '../../../scripts/lib/measure.mjs';

const command = {
  command: 'start',
  data: { spanId: { 'uber-trace-id': 'a0aa0bab5bfde7a6:7e187ec65fb04e0e:37bc77758a09b6a4:1' }, x: 1 },
};
const array = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `n${i}`, ok: i % 2 === 0, v: i / 3 }));
const withBuffer = { command: 'done', data: { result: Buffer.alloc(1024 * 1024, 7) } };

const payloads = [
  ['125-byte command', command],
  ['35 KB array of objects', array],
  ['1 MiB Buffer in a message', withBuffer],
];
console.log(payloads.map(([n, v]) => `${n}: json ${JSON.stringify(v).length} bytes`).slice(0, 2).join('; '));

for (const encoding of ['bson', 'msgpack', 'json']) {
  const ours = createSocketCodec(encoding);
  const theirs = new Encoding({ type: encoding });
  const rows = [];
  for (const [name, value] of payloads) {
    if (encoding === 'json' && name.startsWith('1 MiB')) continue; // binary does not travel in json
    const frame = ours.encode(value);
    const [a, b] = compare([
      ['ours', () => ours.encode(value)],
      ['theirs', () => theirs.encode(value)],
    ]);
    rows.push({ label: `encode ${name}`, ours: a.ops, theirs: b.ops });
    const [c, d] = compare([
      ['ours', () => ours.decodeFrame(frame)],
      ['theirs', () => theirs.decode(frame)],
    ]);
    rows.push({ label: `decode ${name}`, ours: c.ops, theirs: d.ops });
  }
  printTable(`socket codec: ${encoding} (ours vs @hkube/encoding)`, rows, ['ours', '@hkube/encoding']);
}

// The json rows time one JSON.stringify / JSON.parse call on both sides (that is all either codec
// does with json), so their ratio is the measurement's noise around 1.0. This A/A run of
// @hkube/encoding against a second instance of itself shows how large that noise is in this run.
{
  const a = new Encoding({ type: 'json' });
  const b = new Encoding({ type: 'json' });
  const rows = [];
  for (const [name, value] of payloads.slice(0, 2)) {
    const frame = a.encode(value);
    const [x, y] = compare([
      ['a', () => a.encode(value)],
      ['b', () => b.encode(value)],
    ]);
    rows.push({ label: `encode ${name}`, ours: x.ops, theirs: y.ops });
    const [u, v] = compare([
      ['a', () => a.decode(frame)],
      ['b', () => b.decode(frame)],
    ]);
    rows.push({ label: `decode ${name}`, ours: u.ops, theirs: v.ops });
  }
  printTable('A/A calibration: json, @hkube/encoding against itself (the noise of the json rows above)', rows, ['@hkube/encoding', '@hkube/encoding']);
}

// Storage framing of a 1 MiB Buffer result and a 35 KB value, with the HK header.
const rows = [];
for (const encoding of ['bson', 'msgpack']) {
  const codec = getCodec(encoding);
  const theirs = new Encoding({ type: encoding });
  for (const [name, value] of [['1 MiB raw Buffer', withBuffer.data.result], ['35 KB array', array]]) {
    const [a, b] = compare([
      ['ours', () => encodeStored(value, codec)],
      ['theirs', () => theirs.encodeHeaderPayload(value)],
    ]);
    rows.push({ label: `${encoding} frame ${name}`, ours: a.ops, theirs: b.ops });
    const { header, payload } = encodeStored(value, codec);
    const blob = Buffer.concat([header, payload]);
    const [c, d] = compare([
      ['ours', () => decodeStoredBlob(blob, codec)],
      ['theirs', () => theirs.decode(blob, { customEncode: true })],
    ]);
    rows.push({ label: `${encoding} read ${name}`, ours: c.ops, theirs: d.ops });
  }
}
printTable('stored framing with the HK header (ours vs @hkube/encoding)', rows, ['ours', '@hkube/encoding']);
