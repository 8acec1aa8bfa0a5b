import { parseWorkerMessage } from '@hkube-ts/protocol';
import { initializePayload } from './lib/driver.mjs';
const msg = { command: 'initialize', data: initializePayload() };
let x; const t = process.hrtime.bigint();
for (let i = 0; i < 2e6; i++) x = parseWorkerMessage(msg);
console.log((Number(process.hrtime.bigint() - t) / 2e6).toFixed(0), 'ns');
