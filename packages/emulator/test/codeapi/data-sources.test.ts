import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { createEmulator, type Emulator } from '../../src/index.js';

// api.getDataSource through the real wrapper and Code API, answered from a local directory.
let dir: string;
let emulator: Emulator;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-datasources-'));
  await mkdir(join(dir, 'images'), { recursive: true });
  await writeFile(join(dir, 'images', 'cat.png'), 'meow');
  emulator = await createEmulator({ dataSourcesDir: dir });
  emulator.registerAlgorithm('reader', {
    start: async ({ input }, api) => {
      const source = await api.getDataSource({ dataSourceId: String(input[0]) });
      return source.files.map((file) => ({ name: file.name, size: file.size }));
    },
  });
});

afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('api.getDataSource on the emulator', () => {
  it('lists the files of the data source’s directory', async () => {
    const result = await emulator.run({ name: 'ds', nodes: [{ nodeName: 'read', algorithmName: 'reader', input: ['images'] }] });
    expect(result.status === 'completed' && result.data[0]?.result).toEqual([{ name: 'cat.png', size: 4 }]);
  });

  it('fails the task with HKube’s message for an unknown data source', async () => {
    const result = await emulator.run({ name: 'ds', nodes: [{ nodeName: 'read', algorithmName: 'reader', input: ['nope'] }] });
    expect(result.status === 'failed' && result.error).toMatch(/unable to find matching data-source/);
  });

  it('is configured from the CLI with --data-sources', () => {
    expect(parseCommandLine(['run', 'p.json', '-a', 'a.json', '--data-sources', 'ds'])).toMatchObject({ dataSourcesDir: 'ds' });
    expect(() => parseCommandLine(['run', 'p.json', '-a', 'a.json', '--data-sources', ''])).toThrow('--data-sources needs a non-empty value');
  });
});
