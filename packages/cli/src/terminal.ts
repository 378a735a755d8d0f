/** What the CLI writes to a terminal: names escaped, and a closed pipe treated as "done". */

// C0 controls, DEL and the C1 controls: ESC starts terminal escapes, BEL ends OSC (window title),
// CR/LF break the table's rows. Unicode line and paragraph separators break lines too.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A name (label, class, dataset id) as it may be printed in human output: every control
 * character written as a visible escape (`\n`, `\t`, `\x1b`, `\u2028`), so no name can move the
 * cursor, set the window title or split a table row. Printable text, non-ASCII included, is kept.
 */
export function escapeTerminal(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * Makes a reader that stopped reading (`lacuna datasets | head -1`) end the process quietly with
 * exit 0, as Unix tools do, instead of an unhandled `write EPIPE` stack; any other stream error
 * still surfaces.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

/** The widest of `texts` (at least `min`), without spreading a data-sized array into Math.max. */
export function widest(texts: Iterable<string>, min: number): number {
  let w = min;
  for (const t of texts) if (t.length > w) w = t.length;
  return w;
}
