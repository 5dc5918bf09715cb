/** A progress line for long-running CLI commands (stderr; redrawn on a TTY, a line per 10 % otherwise). */
export interface Progress {
  tick(n?: number): void;
  done(message?: string): void;
}

export const progress = (
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress => {
  let count = 0;
  let lastPct = -1;
  const started = Date.now();
  const draw = (final = false) => {
    const pct = total > 0 ? Math.min(100, Math.floor((count / total) * 100)) : 100;
    if (pct === lastPct && (!final || !stream.isTTY)) return;
    if (!stream.isTTY && !final && pct % 10 !== 0) return;
    lastPct = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const line = `${label} ${bar} ${pct}% ${count}/${total} ${secs}s`;
    stream.write(stream.isTTY ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    done(message) {
      count = Math.max(count, total);
      draw(true);
      if (message) stream.write(`${message}\n`);
    },
  };
};
