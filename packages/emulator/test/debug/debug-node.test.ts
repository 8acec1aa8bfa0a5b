import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debug, silentLogger, type Algorithm } from '@hkube-ts/wrapper-node';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { runCli } from '../../src/cli/main.js';
import { CliUsageError } from '../../src/cli/errors.js';
import { createEmulator, type DebugWaiting, type Emulator } from '../../src/index.js';
import { FIXTURES, REPO_ROOT } from '../support/built.js';

const doubler = { start: ({ input: [n] }: { input: unknown[] }) => (n as number) * 2 };
const sessions: AbortController[] = [];
let emulator: Emulator | undefined;

function session(): AbortSignal {
  const controller = new AbortController();
  sessions.push(controller);
  return controller.signal;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const dirs: string[] = [];

/** Writes `files` (name to JSON value) to a new temporary directory and returns it. */
async function jsonFiles(files: Readonly<Record<string, unknown>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hkube-ts-debug-cli-'));
  dirs.push(dir);
  for (const [name, value] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(value));
  return dir;
}

/** `pipeline.json` (stream: twitt's `src` sending 3 tweets >> `mid`, a debug node of `relay-me`) and `algorithms.json`. */
function relayFiles(mid: Readonly<Record<string, unknown>>): Promise<string> {
  return jsonFiles({
    'pipeline.json': {
      name: 'stream-debug',
      kind: 'stream',
      nodes: [{ nodeName: 'src', algorithmName: 'twitt', stateType: 'stateful', input: [3] }, { nodeName: 'mid', algorithmName: 'relay-me', kind: 'debug', ...mid }],
      streaming: { flows: { main: 'src >> mid' } },
    },
    'algorithms.json': { twitt: { path: join(FIXTURES, 'streaming', 'twitt.mjs') } },
  });
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  for (const controller of sessions.splice(0)) controller.abort();
  await emulator?.close();
  emulator = undefined;
});

describe('debug nodes', () => {
  it('serves a node named in options.debugOverride to a debugger, batch items one after the other, without registering its algorithm', async () => {
    emulator = await createEmulator();
    const waits: DebugWaiting[] = [];
    const job = emulator.runPipeline(
      { name: 'override', nodes: [{ nodeName: 'twice', algorithmName: 'doubler', input: ['#@flowInput.numbers'] }], flowInput: { numbers: [1, 2, 3] }, options: { debugOverride: ['twice'] } },
      { onDebugWaiting: (waiting) => waits.push(waiting) },
    );
    expect(job.pipeline.nodes[0]?.kind).toBe('debug');
    const url = await emulator.debugUrl('doubler');
    const attached = debug(url, doubler, { exitProcess: false, logger: silentLogger, encoding: 'bson', signal: session() });
    const result = await job.result;
    expect(result).toMatchObject({ status: 'completed' });
    expect(result.status === 'completed' && result.data.map((item) => item.result)).toEqual([2, 4, 6]);
    expect(waits).toEqual([{ nodeName: 'twice', algorithmName: 'doubler', url }]);
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
  });

  it('accepts a debugger that attached before the job started', async () => {
    emulator = await createEmulator();
    const attached = debug(await emulator.debugUrl('doubler'), doubler, { exitProcess: false, logger: silentLogger, signal: session() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await emulator.run({ name: 'early', nodes: [{ nodeName: 'd', algorithmName: 'doubler', kind: 'debug', input: [21] }] });
    expect(result).toMatchObject({ status: 'completed', data: [{ result: 42 }] });
    await attached;
  });

  it('still requires the algorithms of ordinary nodes', async () => {
    emulator = await createEmulator();
    expect(() => emulator?.runPipeline({ name: 'missing', nodes: [{ nodeName: 'a', algorithmName: 'nope', input: [] }] })).toThrow(expect.objectContaining({ code: 'UNKNOWN_ALGORITHM' }) as Error);
  });

  it('closes a connection on another path with 1008', async () => {
    emulator = await createEmulator();
    const url = (await emulator.debugUrl('doubler')).replace('/hkube/debug/doubler', '/elsewhere');
    await expect(debug(url, doubler, { exitProcess: false, logger: silentLogger, signal: session() })).rejects.toMatchObject({ code: 'CONNECTION_LOST', closeCode: 1008 });
  });
});

describe('hkube-ts run with a debug node', () => {
  it('parses --debug-port and rejects a bad one', () => {
    expect(parseCommandLine(['run', 'p.json', '-a', 'a.json', '--debug-port', '9230'])).toMatchObject({ debugPort: 9230 });
    expect(parseCommandLine(['run', 'p.json', '-a', 'a.json'])).toMatchObject({ debugPort: undefined });
    expect(() => parseCommandLine(['run', 'p.json', '-a', 'a.json', '--debug-port', 'x'])).toThrow(CliUsageError);
  });

  it('prints the debug URL on stderr and waits for the debugger', async () => {
    const port = await freePort();
    const example = `${REPO_ROOT}/examples/ide-debugging`;
    let stderr = '';
    let stdout = '';
    let attached: Promise<unknown> | undefined;
    const code = await runCli(['run', `${example}/pipeline.json`, '--algorithms', `${example}/algorithms.json`, '--debug-port', String(port)], {
      stdout: (text) => (stdout += text),
      stderr: (text) => {
        stderr += text;
        const match = /waits for a debugger at (\S+)/.exec(text);
        if (match?.[1] !== undefined) attached = debug(match[1], { start: ({ input: [numbers, factor] }) => ({ total: (numbers as number[]).reduce((a, b) => a + b, 0) * (factor as number) }) }, { exitProcess: false, logger: silentLogger, signal: session() });
      },
      stderrIsTTY: false,
    });
    expect(stderr).toContain(`[hkube-ts] node scale waits for a debugger at ws://127.0.0.1:${port}/hkube/debug/scale\n`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ nodeName: 'sum', algorithmName: 'sum', result: { total: 60 } }]);
    await attached;
  });

  it('prints the debug URL of a stream debug node on stderr and waits for the debugger', async () => {
    const port = await freePort();
    const dir = await relayFiles({ stateType: 'stateful' });
    const collect: Algorithm = {
      start: async (_args, api) => {
        const ids: unknown[] = [];
        for await (const { message } of api.messages()) if (ids.push((message as { id: unknown }).id) === 3) break;
        return ids;
      },
    };
    let stderr = '';
    let stdout = '';
    let attached: Promise<unknown> | undefined;
    const code = await runCli(['run', join(dir, 'pipeline.json'), '--algorithms', join(dir, 'algorithms.json'), '--debug-port', String(port)], {
      stdout: (text) => (stdout += text),
      stderr: (text) => {
        stderr += text;
        const match = /waits for a debugger at (\S+)/.exec(text);
        if (match?.[1] !== undefined) attached = debug(match[1], collect, { exitProcess: false, logger: silentLogger, signal: session() });
      },
      stderrIsTTY: false,
    });
    expect(stderr).toContain(`[hkube-ts] node mid waits for a debugger at ws://127.0.0.1:${port}/hkube/debug/relay-me\n`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ nodeName: 'mid', algorithmName: 'relay-me', result: [1, 2, 3] }]);
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
  });

  it('prints each warning of the job on stderr, one line each: a stateless debug node’s capped replica counts', async () => {
    const dir = await relayFiles({ stateType: 'stateless', minStatelessCount: 2, maxStatelessCount: 3 });
    let stderr = '';
    // Nobody attaches: --duration ends the job while the node waits for its debugger.
    const code = await runCli(['run', join(dir, 'pipeline.json'), '--algorithms', join(dir, 'algorithms.json'), '--duration', '0.5'], {
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
      stderrIsTTY: false,
    });
    expect(code).toBe(0);
    const lines = stderr.split('\n');
    expect(lines.filter((line) => line.includes('warning'))).toEqual([
      '[hkube-ts] warning: node "mid" is a debug node, which runs one replica at most: "minStatelessCount": 2 and "maxStatelessCount": 3 are capped at 1',
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[hkube-ts\] node mid waits for a debugger at ws:\/\/127\.0\.0\.1:\d+\/hkube\/debug\/relay-me$/));
  });
});
