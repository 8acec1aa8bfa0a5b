import { parseWorkerMessage, createSocketCodec } from '@hkube-ts/protocol';
import { initializePayload } from './lib/driver.mjs';
const msg = { command: 'initialize', data: initializePayload() };
const codec = createSocketCodec('msgpack');
const frame = codec.encode(msg);
function time(name, fn, n = 200000) { for (let i = 0; i < 20000; i++) fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns'); }
for (let k = 0; k < 2; k++) {
time('parseWorkerMessage', () => parseWorkerMessage(msg));
time('decodeFrame', () => codec.decodeFrame(frame));
time('readWorkerMessage', () => codec.readWorkerMessage(frame));
time('encode initialized', () => codec.encode({ command: 'initialized' }));
time('encode done', () => codec.encode({ command: 'done', data: 3 }));
const payload = parseWorkerMessage(msg).value.data;
const SYM = Symbol('t'); function sig() { return this[SYM]; }
time('assign+define', () => { const a = Object.assign({}, payload, { input: 1 }); Object.defineProperty(a, SYM, { value: 1 }); return Object.defineProperty(a, 'signal', { get: sig, enumerable: true, configurable: true }); });
time('spread', () => ({ ...payload, input: 1 }));
time('assign only', () => Object.assign({}, payload, { input: 1 }));
}
