// A small seeded PRNG (mulberry32) so that a failing fuzz case can be replayed.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(rand: () => number, maxLength = 64): Buffer {
  const length = Math.floor(rand() * maxLength);
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(rand() * 256);
  return bytes;
}

const COMMANDS = ['initialize', 'start', 'stop', 'exit', 'done', 'storing', 'errorMessage', 'initialized', 'startAlgorithmExecution', 'subPipelineDone', 'serviceDiscoveryUpdate', 'streamingStatistics', 'nope'];

export function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 7 : 11));
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return rand() < 0.5;
    case 3: return Math.floor(rand() * 2 ** 40) - 2 ** 39;
    case 4: return rand() * 1e6;
    case 5: return Math.random().toString(36).slice(2, 2 + Math.floor(rand() * 10));
    case 6: return randomBytes(rand, 16);
    case 7: return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    case 8: {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < rand() * 4; i++) out[`k${i}`] = randomValue(rand, depth + 1);
      return out;
    }
    case 9:
      return { command: COMMANDS[Math.floor(rand() * COMMANDS.length)], data: randomValue(rand, depth + 1) };
    default:
      return { command: rand() < 0.5 ? 42 : undefined, error: randomValue(rand, depth + 1) };
  }
}
