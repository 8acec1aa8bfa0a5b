// Attaches algorithm.mjs, run from your IDE, to the debug node `scale` of a running job:
// start `hkube-ts run … --debug-port 9230` first, then launch this file under the debugger.
import { debug } from '@hkube-ts/wrapper-node';
import * as algorithm from './algorithm.mjs';

const url = process.env.HKUBE_DEBUG_URL ?? 'ws://127.0.0.1:9230/hkube/debug/scale';
const outcome = await debug(url, algorithm, { forwardLogs: true });
console.error(`debug session ended (${outcome.reason})`);
