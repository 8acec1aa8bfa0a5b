import { InvalidEnvironmentError, readStreamingEnv } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';

describe('readStreamingEnv', () => {
  it("applies the Node wrapper's defaults", () => {
    expect(readStreamingEnv({})).toEqual({ discoveryPort: 9022, encoding: 'bson', maxBufferMb: 1500, statisticsIntervalMs: 2000, prefetch: 1 });
  });

  it('reads every variable', () => {
    expect(
      readStreamingEnv({
        STREAMING_DISCOVERY_PORT: '9100',
        DISCOVERY_ENCODING: 'msgpack',
        STREAMING_MAX_BUFFER_MB: '0.5',
        STREAMING_STATISTICS_INTERVAL: '250',
        STREAMING_PREFETCH: '4',
      }),
    ).toEqual({ discoveryPort: 9100, encoding: 'msgpack', maxBufferMb: 0.5, statisticsIntervalMs: 250, prefetch: 4 });
  });

  it.each([
    ['STREAMING_DISCOVERY_PORT', '0'],
    ['DISCOVERY_ENCODING', 'protobuf'],
    ['STREAMING_MAX_BUFFER_MB', '-1'],
    ['STREAMING_STATISTICS_INTERVAL', 'soon'],
    ['STREAMING_PREFETCH', '1.5'],
  ])('rejects %s=%s with InvalidEnvironmentError', (name, value) => {
    expect(() => readStreamingEnv({ [name]: value })).toThrow(InvalidEnvironmentError);
  });
});
