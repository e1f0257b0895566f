/** Progress on stderr (cli-progress); silent when disabled (tests) so stdout stays clean. */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(label: string): void;
  stop(): void;
}

export function makeProgress(name: string, total: number, start: number, enabled: boolean): Progress {
  if (!enabled) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${name.padEnd(16)} |{bar}| {value}/{total} {percentage}% | {duration_formatted} | eta {eta_formatted} | {label}`,
      hideCursor: false,
      clearOnComplete: false,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, start, { label: start > 0 ? `resumed with ${start} rows` : '' });
  return {
    tick: (label) => bar.increment(1, { label }),
    stop: () => bar.stop(),
  };
}
