/**
 * Data sources in the emulator: a local directory per data source (or snapshot) id, under the
 * emulator's `dataSourcesDir`. The reply has HKube's shape, `{ name, files: [{ name, path, size }] }`,
 * with absolute paths an algorithm can open.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { DataSourceRef, WorkerMessageOf } from '@hkube-ts/protocol';

/** HKube's message when no data source matches (worker-protocol §6.5). */
export const DATA_SOURCE_NOT_FOUND = 'unable to find matching data-source';

/** One file of a data source as the worker describes it. */
interface DataSourceFileEntry {
  readonly name: string;
  readonly path: string;
  readonly size: number;
}

function requestedId(ref: DataSourceRef): string | undefined {
  const record = ref as Readonly<Record<string, unknown>>;
  const id = record.dataSourceId ?? record.snapshotId;
  return typeof id === 'string' ? id : undefined;
}

async function listFiles(root: string, dir: string, out: DataSourceFileEntry[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(root, path, out);
    else if (entry.isFile()) out.push({ name: relative(root, path).split(sep).join('/'), path, size: (await stat(path)).size });
  }
}

/**
 * Answers a `dataSourceRequest` from `<dataSourcesDir>/<id>/`. Ids that are not a single path
 * segment, and missing directories, get HKube's "unable to find matching data-source".
 */
export async function resolveDataSource(
  dataSourcesDir: string | undefined,
  requestId: string,
  ref: DataSourceRef,
): Promise<WorkerMessageOf<'dataSourceResponse'>> {
  const fail = (error: string): WorkerMessageOf<'dataSourceResponse'> => ({ command: 'dataSourceResponse', data: { requestId, error } });
  const id = requestedId(ref);
  if (dataSourcesDir === undefined) return fail(`${DATA_SOURCE_NOT_FOUND}: the emulator has no dataSourcesDir`);
  if (id === undefined || id === '' || id === '.' || id === '..' || id.includes('/') || id.includes('\\') || id.includes('\0')) {
    return fail(DATA_SOURCE_NOT_FOUND);
  }
  const root = resolve(dataSourcesDir, id);
  try {
    if (!(await stat(root)).isDirectory()) return fail(DATA_SOURCE_NOT_FOUND);
    const files: DataSourceFileEntry[] = [];
    await listFiles(root, root, files);
    files.sort((a, b) => a.name.localeCompare(b.name));
    return { command: 'dataSourceResponse', data: { requestId, response: { name: id, files } } };
  } catch {
    return fail(DATA_SOURCE_NOT_FOUND);
  }
}
