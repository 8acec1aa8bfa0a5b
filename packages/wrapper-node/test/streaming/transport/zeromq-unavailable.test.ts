import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('zeromq');
  vi.resetModules();
});

describe('createZeroMqStreamTransport without the zeromq package', () => {
  it('rejects with ZeroMqUnavailableError naming the package, and loads once it is there', async () => {
    vi.resetModules();
    vi.doMock('zeromq', () => {
      throw new Error("Cannot find package 'zeromq'");
    });
    const { createZeroMqStreamTransport } = await import('../../../src/streaming/zeromq/transport.js');
    const { ZeroMqUnavailableError } = await import('../../../src/streaming/errors.js'); // same module graph
    const failure = await createZeroMqStreamTransport().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(ZeroMqUnavailableError);
    expect(failure).toMatchObject({ code: 'STREAM_TRANSPORT_UNAVAILABLE', moduleName: 'zeromq' });
    vi.doUnmock('zeromq');
    const transport = await createZeroMqStreamTransport();
    expect(transport.kind).toBe('zeromq');
    await transport.close();
  });
});
