/**
 * Reads `path` (dot-separated keys; numeric keys index arrays) inside `value`, like the `object-path`
 * package HKube uses. An empty path selects the whole value. A missing step gives `undefined`.
 *
 * @example
 * ```ts
 * getPath({ data: [10, 20] }, 'data.1'); // 20
 * getPath({ data: [10, 20] }, 'data.9'); // undefined
 * ```
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    const holder = Object(current) as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(holder, key)) return undefined;
    current = holder[key];
  }
  return current;
}
