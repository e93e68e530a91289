import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';

describe('base64', () => {
  it('round-trips every byte value, and bytes longer than one chunk', () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64(toBase64(every))).toEqual(every);
    const large = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256);
    expect(fromBase64(toBase64(large))).toEqual(large);
    expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  });
});
