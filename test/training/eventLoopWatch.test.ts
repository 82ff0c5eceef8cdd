import { describe, expect, it } from 'vitest';
import { watchEventLoop } from '../../src/training/eventLoopWatch';

const nodeDelay = () => ({ stop: () => 'extension host event-loop delay max 12.0 ms, p99 3.0 ms' });
const webDelay = () => ({ stop: () => undefined });

describe('watchEventLoop', () => {
  it('names the event that took the host longest, timed by the clock it is given', () => {
    let now = 0;
    const watch = watchEventLoop(nodeDelay(), () => now);
    for (const [type, ms] of [
      ['run/batchEnded', 2],
      ['run/epochEnded', 9],
      ['run/batchEnded', 3],
    ] as const)
      watch.time(type, () => (now += ms));
    expect(watch.stop()).toBe(
      'extension host event-loop delay max 12.0 ms, p99 3.0 ms; longest handling of one worker event 9.0 ms (run/epochEnded)',
    );
  });

  it('says only the longest event where the host cannot measure its delay (the web extension host)', () => {
    let now = 0;
    const watch = watchEventLoop(webDelay(), () => now);
    watch.time('data/loaded', () => (now += 1.25));
    expect(watch.stop()).toBe('longest handling of one worker event 1.3 ms (data/loaded)');
  });

  it('still times a handler that threw, and lets the error through', () => {
    let now = 0;
    const watch = watchEventLoop(nodeDelay(), () => now);
    expect(() =>
      watch.time('run/predicted', () => {
        now += 4;
        throw new Error('subscriber failed');
      }),
    ).toThrow('subscriber failed');
    expect(watch.stop()).toContain('4.0 ms (run/predicted)');
  });
});
