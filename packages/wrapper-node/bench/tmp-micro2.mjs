import { parseWorkerMessage } from '@hkube-ts/protocol';
import { initializePayload } from './lib/driver.mjs';
const payloads = Array.from({length: 64}, (_, i) => parseWorkerMessage({ command: 'initialize', data: initializePayload({taskId: 't'+i}) }).value.data);
function time(name, fn, n = 300000) { let x; for (let i = 0; i < 20000; i++) x = fn(i); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) x = fn(i); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns', %HaveSameMap(fn(1), fn(2))); }
const SYM = Symbol('t'); function sig() { return this[SYM].signal; }
const task = { signal: 1 };
class Base { get signal() { return this[SYM].signal; } }
const D = { get: sig, enumerable: true, configurable: true };
for (let k = 0; k < 2; k++) {
time('1 spread+sym+define', (i) => { const a = { ...payloads[i & 63], input: 1 }; a[SYM] = task; return Object.defineProperty(a, 'signal', D); });
time('2 class+assign', (i) => { const a = Object.assign(new Base(), payloads[i & 63]); a.input = 1; a[SYM] = task; return a; });
time('3 literal getter', (i) => { const t = task; return { ...payloads[i & 63], input: 1, get signal() { return t.signal; } }; });
time('4 spread+sym+signal data', (i) => { const a = { ...payloads[i & 63], input: 1, signal: undefined }; a[SYM] = task; return Object.defineProperty(a, 'signal', D); });
time('0 spread only', (i) => ({ ...payloads[i & 63], input: 1 }));
}
