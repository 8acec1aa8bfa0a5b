#!/usr/bin/env node
// `npm run demo`: until the emulator lands, a protocol round trip through the built package:
// what a worker and a wrapper put on the wire for one task, in each encoding, and back.
import { createSocketCodec, decodeStoredBlob, encodeStored, getCodec } from '../packages/protocol/dist/index.js';

const messages = [
  { command: 'initialize', data: { jobId: 'job-1', taskId: 'task-1', nodeName: 'green', algorithmName: 'green-alg', input: [1, 2], storage: {}, flatInput: null } },
  { command: 'initialized' },
  { command: 'start', data: { spanId: null } },
  { command: 'done', data: { sum: 3 } },
];

for (const encoding of ['json', 'bson', 'msgpack']) {
  const codec = createSocketCodec(encoding);
  console.log(`\n${encoding} (${codec.frameType} frames)`);
  for (const message of messages) {
    const frame = codec.encode(message);
    const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
    const read = message.command === 'initialize' || message.command === 'start' ? codec.readWorkerMessage(frame) : codec.readAlgorithmMessage(frame);
    if (!read.ok) throw read.error;
    const shown = bytes.length > 40 ? `${bytes.subarray(0, 40).toString('hex')}…` : bytes.toString('hex');
    console.log(`  ${message.command.padEnd(11)} ${String(bytes.length).padStart(4)} bytes  ${shown}  → ${JSON.stringify(read.value).slice(0, 60)}`);
  }
}

const stored = encodeStored({ sum: 3 }, getCodec('msgpack'));
console.log(`\nstored result (msgpack): header ${stored.header.toString('hex')} payload ${stored.payload.toString('hex')}`);
const back = decodeStoredBlob(Buffer.concat([stored.header, stored.payload]), getCodec('msgpack'));
console.log(`read back: ${JSON.stringify(back.ok ? back.value : back.error.message)}`);
