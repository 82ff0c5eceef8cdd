/** What a run cost the extension host's event loop, for the log. */
export interface EventLoopWatch {
  /** Runs `handle` (one worker event and its subscribers), remembering the longest. */
  time(type: string, handle: () => void): void;
  /** Stops watching and says what was seen, in one log line's words. */
  stop(): string;
}

/**
 * Watches the extension host's event loop during a run: the host's delay measurement, when it has one (the Node
 * host's histogram also counts CPU contention from everything else; see HostPlatform.measureEventLoop), and the
 * longest the host spent on one worker event, subscribers included, which is what this feature itself costs. The
 * worker keeps the math off this thread; this shows it does. No Node or VS Code: the clock is injected.
 */
export function watchEventLoop(
  delay: { stop(): string | undefined },
  now: () => number = () => performance.now(),
): EventLoopWatch {
  let longest = { ms: 0, type: '' };
  return {
    time(type, handle) {
      const start = now();
      try {
        handle();
      } finally {
        const ms = now() - start;
        if (ms > longest.ms) longest = { ms, type };
      }
    },
    stop() {
      const loop = delay.stop();
      return `${loop ? `${loop}; ` : ''}longest handling of one worker event ${longest.ms.toFixed(1)} ms (${longest.type})`;
    },
  };
}
