import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type DebugWaiting, type Emulator } from '@hkube-ts/emulator';
import { debug, silentLogger, type Algorithm } from '@hkube-ts/wrapper-node';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module without declarations.
import * as scale from '../algorithm.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as Record<string, unknown>;
const algorithm = scale as Algorithm;

let emulator: Emulator | undefined;
const sessions: AbortController[] = [];

async function start(options: { debugAttachTimeoutMs?: number } = {}): Promise<Emulator> {
  emulator = await createEmulator({ baseDir: here, ...options });
  emulator.registerAlgorithm('sum', { path: 'sum.mjs' });
  return emulator;
}

/** Runs the pipeline and resolves with the job and the first debug wait. */
function runUntilWaiting(target: Emulator): { result: ReturnType<Emulator['run']>; waiting: Promise<DebugWaiting> } {
  let onWaiting: (waiting: DebugWaiting) => void = () => undefined;
  const waiting = new Promise<DebugWaiting>((resolve) => (onWaiting = resolve));
  const handle = target.runPipeline(pipeline, { onDebugWaiting: onWaiting });
  return { result: handle.result, waiting };
}

function session(): AbortSignal {
  const controller = new AbortController();
  sessions.push(controller);
  return controller.signal;
}

afterEach(async () => {
  for (const controller of sessions.splice(0)) controller.abort();
  await emulator?.close();
  emulator = undefined;
});

describe('ide-debugging', () => {
  it('serves the debug node to the algorithm attached with debug()', async () => {
    const target = await start();
    const { result, waiting } = runUntilWaiting(target);
    const { nodeName, algorithmName, url } = await waiting;
    expect({ nodeName, algorithmName }).toEqual({ nodeName: 'scale', algorithmName: 'scale' });
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/hkube\/debug\/scale$/);
    expect(await target.debugUrl('scale')).toBe(url);
    const attached = debug(url, algorithm, { exitProcess: false, logger: silentLogger, encoding: 'msgpack', signal: session() });
    expect(await result).toMatchObject({ status: 'completed', data: [{ nodeName: 'sum', result: { total: 60 } }] });
    // The job's end sends `exit`: the debug session ends by itself.
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
  });

  it('refuses a second debugger with DebuggerAlreadyConnectedError naming the host', async () => {
    const target = await start();
    const { result, waiting } = runUntilWaiting(target);
    const { url } = await waiting;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const held: Algorithm = {
      async start(args, api) {
        started();
        await released;
        return algorithm.start(args, api);
      },
    };
    const first = debug(url, held, { exitProcess: false, logger: silentLogger, signal: session() });
    await running;
    const second = debug(url, algorithm, { exitProcess: false, logger: silentLogger, encoding: 'json', signal: session() });
    await expect(second).rejects.toMatchObject({ code: 'DEBUGGER_ALREADY_CONNECTED', hostname: '127.0.0.1' });
    release();
    expect(await result).toMatchObject({ status: 'completed', data: [{ result: { total: 60 } }] });
    await first;
  });

  it('fails a debug task when no debugger attaches within debugAttachTimeoutMs', async () => {
    const target = await start({ debugAttachTimeoutMs: 200 });
    const result = await target.run(pipeline);
    expect(result).toMatchObject({ status: 'failed', nodeName: 'scale' });
    expect(result.status === 'failed' && result.error).toMatch(/no debugger attached to algorithm "scale" at ws:\/\/127\.0\.0\.1:\d+\/hkube\/debug\/scale within 200 ms/);
  });
});
