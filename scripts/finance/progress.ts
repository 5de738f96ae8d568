// Progress for long CLI runs, on stderr so stdout stays the summary: a bar redrawn in place on a terminal,
// plain lines now and then when stderr is a file or a pipe (CI logs, cron mail).

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporter {
  update(done: number): void;
  /** Draws the final state and ends the bar's line. */
  finish(): void;
}

const count = (n: number) => n.toLocaleString("en-US");

export function progressBar(done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(done / total, 1) : 1;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${count(done)}/${count(total)} lines`;
}

export function createProgressReporter({
  total,
  label = "applying",
  stream = process.stderr,
  tty = Boolean(stream.isTTY),
  now = () => Date.now(),
  ttyIntervalMs = 100,
  plainIntervalMs = 5_000,
}: {
  total: number;
  label?: string;
  stream?: ProgressStream;
  tty?: boolean;
  now?: () => number;
  ttyIntervalMs?: number;
  plainIntervalMs?: number;
}): ProgressReporter {
  // A terminal shows the bar at once; a log gets its first line at the first tenth (or after a quiet spell).
  let lastDrawn = tty ? -Infinity : now();
  let lastDone = 0;
  let lastTenth = 0;
  let finished = false;
  const percent = (done: number) => (total > 0 ? Math.floor((done / total) * 100) : 100);

  const draw = (done: number) => {
    if (tty) stream.write(`\r${label} ${progressBar(done, total)} ${percent(done)}%`);
    else stream.write(`${label}: ${count(done)}/${count(total)} lines (${percent(done)}%)\n`);
  };

  return {
    update(done) {
      lastDone = done;
      const at = now();
      if (tty) {
        // Redrawing thousands of times a second would cost more than the work it reports.
        if (at - lastDrawn < ttyIntervalMs) return;
      } else {
        // Plain lines at each tenth of the way, or after a quiet interval; never one per line of the file.
        const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
        if (tenth <= lastTenth && at - lastDrawn < plainIntervalMs) return;
        lastTenth = Math.max(lastTenth, tenth);
        if (done >= total) return; // finish() prints the last line
      }
      lastDrawn = at;
      draw(done);
    },
    finish() {
      if (finished) return;
      finished = true;
      draw(Math.max(lastDone, total));
      if (tty) stream.write("\n");
    },
  };
}
