/** Runs `hkube_stream_peer.py` with `/usr/bin/python3` and reads its JSON lines. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PeerMessage, PeerOptions } from './node-peer.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./hkube_stream_peer.py', import.meta.url));

/** Why the Python peer cannot run here (`undefined` when it can), and which encodings it supports. */
export function pythonPeerSupport(): { readonly skipReason: string | undefined; readonly encodings: readonly ('msgpack' | 'json')[] } {
  const zmq = spawnSync(PYTHON, ['-c', 'import zmq'], { encoding: 'utf8' });
  if (zmq.error !== undefined || zmq.status !== 0) {
    return { skipReason: `${PYTHON} cannot import zmq (install python3-zmq): ${zmq.error?.message ?? zmq.stderr.trim()}`, encodings: [] };
  }
  const msgpack = spawnSync(PYTHON, ['-c', 'import msgpack'], { encoding: 'utf8' });
  return { skipReason: undefined, encodings: msgpack.status === 0 ? ['msgpack', 'json'] : ['json'] };
}

interface RunningPeer {
  readonly child: ChildProcess;
  /** The next JSON line the peer prints. */
  next(): Promise<unknown>;
}

function spawnPeer(args: string[]): RunningPeer {
  const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const line = await lines.next();
      if (line.done === true) throw new Error(`the Python peer exited without output (${args.join(' ')})`);
      return JSON.parse(line.value) as unknown;
    },
  };
}

function peerArgs(options: PeerOptions): string[] {
  return ['--encoding', options.encoding, '--consumer', options.consumer, '--count', String(options.count)];
}

/** Starts the Python ROUTER producer; same contract as `startNodeProducer`. */
export async function startPythonProducer(options: PeerOptions): Promise<{ port: number; result: Promise<{ sent: number; durations: number[]; malformed: number }> }> {
  const peer = spawnPeer(['producer', ...peerArgs(options)]);
  const { port } = (await peer.next()) as { port: number };
  return { port, result: peer.next() as Promise<{ sent: number; durations: number[]; malformed: number }> };
}

/** Runs the Python DEALER listener; same contract as `runNodeListener`. */
export async function runPythonListener(port: number, options: PeerOptions): Promise<{ received: PeerMessage[] }> {
  const peer = spawnPeer(['listener', '--port', String(port), ...peerArgs(options)]);
  return (await peer.next()) as { received: PeerMessage[] };
}
