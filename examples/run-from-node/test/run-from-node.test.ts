import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator, type TaskEvent } from '@hkube-ts/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = JSON.parse(await readFile(join(here, 'pipeline.json'), 'utf8')) as Record<string, unknown>;

let dir: string;
const emulators: Emulator[] = [];

async function open(): Promise<Emulator> {
  const emulator = await createEmulator({ baseDir: here, storage: { dir } });
  emulators.push(emulator);
  emulator.registerAlgorithm('load', { path: 'load.mjs' });
  emulator.registerAlgorithm('scale', { path: 'scale.mjs' });
  emulator.registerAlgorithm('report', { path: 'report.mjs' });
  return emulator;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-from-node-'));
});

afterEach(async () => {
  for (const emulator of emulators.splice(0)) await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('run-from-node', () => {
  it('runs the pipeline, then re-runs scale and report with a changed scale; load is read from storage', async () => {
    const first = await (await open()).run(pipeline, { jobId: 'first' });
    expect(first).toMatchObject({ status: 'completed', data: [{ nodeName: 'report', result: { loaded: [1, 4, 9], scaled: [10, 40, 90], total: 140 } }] });

    // A later session, with the same storage directory and a changed `scale`.
    const emulator = await open();
    emulator.registerAlgorithm('scale', { start: ({ input: [values, factor] }) => (values as number[]).map((value) => value * (factor as number) + 1) });
    const ran: string[] = [];
    const onTaskEvent = (event: TaskEvent): void => {
      if (event.status === 'active') ran.push(event.nodeName);
    };
    const job = await emulator.runFromNode({ jobId: 'first', nodeName: 'scale' }, { onTaskEvent });
    const result = await job.result;
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'report', result: { loaded: [1, 4, 9], scaled: [11, 41, 91], total: 143 } }] });
    expect(ran).toEqual(['scale', 'report']);
  });
});
