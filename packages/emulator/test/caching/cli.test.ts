import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/built.js';
import { expectInputError, runCli as cli } from '../support/run-cli.js';

// `hkube-ts run … --storage-dir <dir> --from-job <jobId> --node <name>`, on the built CLI.
const EXAMPLE = join(REPO_ROOT, 'examples', 'run-from-node');
const PIPELINE = join(EXAMPLE, 'pipeline.json');
const ALGORITHMS = join(EXAMPLE, 'algorithms.json');



let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-cli-caching-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hkube-ts run --from-job --node', () => {
  it('re-runs a node of a job kept in --storage-dir with a changed algorithm', async () => {
    const storage = join(dir, 'storage');
    const first = await cli(['run', PIPELINE, '--algorithms', ALGORITHMS, '--storage-dir', storage, '--json']);
    expect(first.code).toBe(0);
    const { jobId, data } = JSON.parse(first.stdout) as { jobId: string; data: unknown };
    expect(data).toEqual([{ nodeName: 'report', algorithmName: 'report', result: { loaded: [1, 4, 9], scaled: [10, 40, 90], total: 140 } }]);

    // `scale` changes; `load` must not run again (it throws if it does).
    await writeFile(join(dir, 'scale.mjs'), 'export function start({ input: [values, factor] }) { return values.map((v) => v * factor + 1); }\n');
    await writeFile(join(dir, 'load.mjs'), "export function start() { throw new Error('load ran again'); }\n");
    await writeFile(join(dir, 'report.mjs'), `export { start } from ${JSON.stringify(join(EXAMPLE, 'report.mjs'))};\n`);
    const changed = join(dir, 'algorithms.json');
    await writeFile(changed, JSON.stringify({ load: { path: './load.mjs' }, scale: { path: './scale.mjs' }, report: { path: './report.mjs' } }));

    const rerun = await cli(['run', PIPELINE, '--algorithms', changed, '--storage-dir', storage, '--from-job', jobId, '--node', 'scale', '--json']);
    expect(rerun.stderr).toContain(`(from node scale of job ${jobId})`);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      pipeline: 'run-from-node-scale',
      status: 'completed',
      data: [{ nodeName: 'report', result: { loaded: [1, 4, 9], scaled: [11, 41, 91], total: 143 } }],
    });
  });

  it('exits 2 on an unknown job', async () => {
    const run = await cli(['run', PIPELINE, '--algorithms', ALGORITHMS, '--storage-dir', join(dir, 'empty'), '--from-job', 'stam-job', '--node', 'scale']);
    expectInputError(run, 'unable to find pipeline stam-job');
  });

  it.each([
    [['--from-job', 'job-1'], '--from-job needs --node <name>'],
    [['--node', 'scale', '--storage-dir', 'x'], '--node needs --from-job <jobId>'],
    [['--from-job', 'job-1', '--node', 'scale'], '--from-job needs --storage-dir <dir>'],
    [['--from-job', '', '--node', 'scale', '--storage-dir', 'x'], '--from-job needs a non-empty value'],
    [['--from-job', 'job-1', '--node', 'scale', '--storage-dir', 'x', '--flow-input', 'f.json'], '--flow-input cannot be used with --from-job'],
  ])('exits 2 on usage errors: %j', async (extra, message) => {
    const run = await cli(['run', PIPELINE, '--algorithms', ALGORITHMS, ...extra]);
    expectInputError(run, message);
    expect(run.stderr).toContain('Run hkube-ts --help for usage.');
  });

  it('documents the flags in --help', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--from-job <jobId>');
    expect(run.stdout).toContain('--node <name>');
  });
});
