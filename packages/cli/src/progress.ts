/**
 * A progress bar on stderr, redrawn in place: only when stderr is a terminal and the output is
 * not JSON (pipes and logs get nothing). Returns undefined when no bar should be drawn.
 */
export function progressBar(
  label: string,
  options: { json?: boolean; stream?: NodeJS.WriteStream } = {},
): ((done: number, total: number) => void) | undefined {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY) return undefined;
  const width = 30;
  let last = -1;
  return (done, total) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * width);
    if (filled === last && done < total) return;
    last = filled;
    stream.write(
      `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)} % ${done}/${total}`,
    );
    if (done >= total) stream.write("\n");
  };
}
