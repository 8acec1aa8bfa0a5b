import { parseWorkerMessage } from '@hkube-ts/protocol';
import { initializePayload } from './lib/driver.mjs';
const payloads = Array.from({length: 64}, (_, i) => parseWorkerMessage({ command: 'initialize', data: initializePayload({taskId: 't'+i}) }).value.data);
function time(name, fn, n = 300000) { let x; for (let i = 0; i < 20000; i++) x = fn(i); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) x = fn(i); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns', %HaveSameMap(fn(1), fn(2)), %HasFastProperties(fn(3))); }
const SYM = Symbol('t'); function sig() { return this[SYM].signal; }
const task = { signal: 1 };
class A { #t; constructor(t) { this.#t = t; } static D = { get() { return this.#t.signal; }, enumerable: true, configurable: true }; }
class B { #t; constructor(t) { this.#t = t; } get signal() { return this.#t.signal; } }
const D = { get: sig, enumerable: true, configurable: true };
for (let k = 0; k < 2; k++) {
time('orig', (i) => { const a = Object.assign({}, payloads[i & 63], { input: 1 }); Object.defineProperty(a, SYM, { value: task }); return Object.defineProperty(a, 'signal', { get: sig, enumerable: true, configurable: true }); });
time('class+define', (i) => { const a = Object.assign(new A(task), payloads[i & 63]); a.input = 1; return Object.defineProperty(a, 'signal', A.D); });
time('class proto', (i) => { const a = Object.assign(new B(task), payloads[i & 63]); a.input = 1; return a; });
time('orig const desc', (i) => { const a = Object.assign({}, payloads[i & 63]); a.input = 1; a[SYM] = task; return Object.defineProperty(a, 'signal', D); });
}
