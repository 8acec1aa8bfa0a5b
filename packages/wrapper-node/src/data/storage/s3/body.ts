import { TruncatedBodyError } from './failures.js';

/** The response body as the SDK gives it in Node: a readable stream of byte chunks. */
export type BodyStream = AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => void };

function isBodyStream(body: unknown): body is BodyStream {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/**
 * Reads a whole response body into one `Buffer`. With a known `Content-Length` the buffer is allocated
 * once and every chunk is copied into place (no chunk list, no concatenation); a body that ends early
 * or runs long rejects with {@link TruncatedBodyError} (retried by the adapter). Without a length the
 * chunks are concatenated once at the end. An aborted `signal` destroys the stream.
 */
export async function readBody(body: unknown, contentLength: number | undefined, signal: AbortSignal | undefined): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (!isBodyStream(body)) throw new TypeError('the S3 response body is not a stream');
  const onAbort = (): void => body.destroy?.(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (contentLength === undefined) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) chunks.push(chunk);
      return Buffer.concat(chunks);
    }
    const target = Buffer.allocUnsafe(contentLength);
    let offset = 0;
    for await (const chunk of body) {
      if (offset + chunk.byteLength > contentLength) throw new TruncatedBodyError(offset + chunk.byteLength, contentLength);
      target.set(chunk, offset);
      offset += chunk.byteLength;
    }
    if (offset !== contentLength) throw new TruncatedBodyError(offset, contentLength);
    return target;
  } catch (error) {
    body.destroy?.();
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
