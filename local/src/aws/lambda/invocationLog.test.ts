import { describe, expect, it } from 'vitest';
import { InvocationLog, TAIL_BYTES } from './invocationLog.ts';

describe('InvocationLog', () => {
  it('tails the last 4 KB however much was logged', () => {
    const log = new InvocationLog();
    for (let i = 0; i < 1_000; i++) log.append(`line ${i} ${'.'.repeat(80)}\n`);

    const tail = Buffer.from(log.tail(), 'base64').toString('utf8');

    expect(Buffer.byteLength(tail)).toBe(TAIL_BYTES);
    expect(tail.endsWith(`line 999 ${'.'.repeat(80)}\n`)).toBe(true);
  });

  it('returns all of a short log', () => {
    const log = new InvocationLog();
    log.append('START\n');
    log.append(Buffer.from('END\n'));

    expect(Buffer.from(log.tail(), 'base64').toString('utf8')).toBe('START\nEND\n');
  });
});
