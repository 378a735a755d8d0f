/**
 * A 5 x 8 pixel bitmap font, so that pictures can carry text on machines without system fonts
 * (CI runners, containers): no fontconfig, no SVG text, nothing outside this file.
 *
 * Each glyph is 5 columns by 8 rows. Rows 0-6 hold capitals and digits (cap height 7, baseline
 * under row 6); lowercase letters use rows 2-6 (x-height 5); row 7 is for descenders only
 * (g j p q y , ; _). Characters without a glyph are drawn as an empty box.
 */

/** Glyph width in font pixels. */
export const GLYPH_WIDTH = 5;
/** Glyph height in font pixels, descender row included. */
export const GLYPH_HEIGHT = 8;
/** Horizontal distance between the left edges of consecutive glyphs: the width plus a 1 px gap. */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;
/** Vertical distance between the tops of consecutive lines: the height plus a 2 px gap. */
export const LINE_ADVANCE = GLYPH_HEIGHT + 2;

/*
 * The glyphs as sheets: a string of characters and their 8 rows, one 5-wide group per character
 * separated by single spaces, '#' inked and '.' blank. Drawn so that they can be read and edited
 * here as they will look.
 */
type Sheet = readonly [characters: string, rows: readonly string[]];

const SHEETS: readonly Sheet[] = [
  [
    "0123456789",
    [
      ".###. ..#.. .###. ##### ...#. ##### ..##. ##### .###. .###.",
      "#...# .##.. #...# ...#. ..##. #.... .#... ....# #...# #...#",
      "#..## ..#.. ....# ..#.. .#.#. ####. #.... ...#. #...# #...#",
      "#.#.# ..#.. ...#. ...#. #..#. ....# ####. ..#.. .###. .####",
      "##..# ..#.. ..#.. ....# ##### ....# #...# .#... #...# ....#",
      "#...# ..#.. .#... #...# ...#. #...# #...# .#... #...# ...#.",
      ".###. .###. ##### .###. ...#. .###. .###. .#... .###. .##..",
      "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    ],
  ],
  [
    "ABCDEFGHIJ",
    [
      ".###. ####. .###. ###.. ##### ##### .###. #...# .###. ..###",
      "#...# #...# #...# #..#. #.... #.... #...# #...# ..#.. ...#.",
      "#...# #...# #.... #...# #.... #.... #.... #...# ..#.. ...#.",
      "##### ####. #.... #...# ####. ####. #.### ##### ..#.. ...#.",
      "#...# #...# #.... #...# #.... #.... #...# #...# ..#.. ...#.",
      "#...# #...# #...# #..#. #.... #.... #...# #...# ..#.. #..#.",
      "#...# ####. .###. ###.. ##### #.... .#### #...# .###. .##..",
      "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    ],
  ],
  [
    "KLMNOPQRST",
    [
      "#...# #.... #...# #...# .###. ####. .###. ####. .#### #####",
      "#..#. #.... ##.## #...# #...# #...# #...# #...# #.... ..#..",
      "#.#.. #.... #.#.# ##..# #...# #...# #...# #...# #.... ..#..",
      "##... #.... #.#.# #.#.# #...# ####. #...# ####. .###. ..#..",
      "#.#.. #.... #...# #..## #...# #.... #.#.# #.#.. ....# ..#..",
      "#..#. #.... #...# #...# #...# #.... #..#. #..#. ....# ..#..",
      "#...# ##### #...# #...# .###. #.... .##.# #...# ####. ..#..",
      "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    ],
  ],
  [
    "UVWXYZ",
    [
      "#...# #...# #...# #...# #...# #####",
      "#...# #...# #...# #...# #...# ....#",
      "#...# #...# #...# .#.#. .#.#. ...#.",
      "#...# #...# #.#.# ..#.. ..#.. ..#..",
      "#...# #...# #.#.# .#.#. ..#.. .#...",
      "#...# .#.#. #.#.# #...# ..#.. #....",
      ".###. ..#.. .#.#. #...# ..#.. #####",
      "..... ..... ..... ..... ..... .....",
    ],
  ],
  [
    "abcdefghij",
    [
      "..... #.... ..... ....# ..... ..##. ..... #.... ..#.. ...#.",
      "..... #.... ..... ....# ..... .#..# ..... #.... ..... .....",
      ".###. #.##. .###. .##.# .###. .#... .#### #.##. .##.. ..##.",
      "....# ##..# #.... #..## #...# ###.. #...# ##..# ..#.. ...#.",
      ".#### #...# #.... #...# ##### .#... #...# #...# ..#.. ...#.",
      "#...# #...# #...# #...# #.... .#... .#### #...# ..#.. ...#.",
      ".#### ####. .###. .#### .###. .#... ....# #...# .###. #..#.",
      "..... ..... ..... ..... ..... ..... .###. ..... ..... .##..",
    ],
  ],
  [
    "klmnopqrst",
    [
      "#.... .##.. ..... ..... ..... ..... ..... ..... ..... .#...",
      "#.... ..#.. ..... ..... ..... ..... ..... ..... ..... .#...",
      "#..#. ..#.. ##.#. #.##. .###. ####. .#### #.##. .###. ###..",
      "#.#.. ..#.. #.#.# ##..# #...# #...# #...# ##..# #.... .#...",
      "##... ..#.. #.#.# #...# #...# #...# #...# #.... .###. .#...",
      "#.#.. ..#.. #...# #...# #...# ####. .#### #.... ....# .#..#",
      "#..#. .###. #...# #...# .###. #.... ....# #.... ####. ..##.",
      "..... ..... ..... ..... ..... #.... ....# ..... ..... .....",
    ],
  ],
  [
    "uvwxyz",
    [
      "..... ..... ..... ..... ..... .....",
      "..... ..... ..... ..... ..... .....",
      "#...# #...# #...# #...# #...# #####",
      "#...# #...# #...# .#.#. #...# ...#.",
      "#...# #...# #.#.# ..#.. #...# ..#..",
      "#..## .#.#. #.#.# .#.#. .#### .#...",
      ".##.# ..#.. .#.#. #...# ....# #####",
      "..... ..... ..... ..... .###. .....",
    ],
  ],
  [
    " .,:;=-+_#",
    [
      "..... ..... ..... ..... ..... ..... ..... ..... ..... .#.#.",
      "..... ..... ..... .##.. .##.. ..... ..... ..#.. ..... .#.#.",
      "..... ..... ..... .##.. .##.. ##### ..... ..#.. ..... #####",
      "..... ..... ..... ..... ..... ..... ##### ##### ..... .#.#.",
      "..... ..... ..... .##.. .##.. ##### ..... ..#.. ..... #####",
      "..... .##.. .##.. .##.. ..#.. ..... ..... ..#.. ..... .#.#.",
      "..... .##.. ..#.. ..... .#... ..... ..... ..... ..... .#.#.",
      "..... ..... .#... ..... ..... ..... ..... ..... ##### .....",
    ],
  ],
  [
    "%()/?!<>'\"",
    [
      "##... ...#. .#... ..... .###. ..#.. ...#. .#... ..#.. .#.#.",
      "##..# ..#.. ..#.. ....# #...# ..#.. ..#.. ..#.. ..#.. .#.#.",
      "...#. .#... ...#. ...#. ....# ..#.. .#... ...#. .#... .#.#.",
      "..#.. .#... ...#. ..#.. ...#. ..#.. #.... ....# ..... .....",
      ".#... .#... ...#. .#... ..#.. ..#.. .#... ...#. ..... .....",
      "#..## ..#.. ..#.. #.... ..... ..... ..#.. ..#.. ..... .....",
      "...## ...#. .#... ..... ..#.. ..#.. ...#. .#... ..... .....",
      "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
    ],
  ],
];

const BOX_ROWS = "##### #...# #...# #...# #...# #...# ##### .....";

/** Parses one glyph's rows (inked = 1) into a GLYPH_WIDTH x GLYPH_HEIGHT row-major bitmap. */
function parseGlyph(rows: readonly string[], column: number, character: string): Uint8Array {
  if (rows.length !== GLYPH_HEIGHT) {
    throw new Error(`bitmap font: '${character}' has ${rows.length} rows, not ${GLYPH_HEIGHT}`);
  }
  const bits = new Uint8Array(GLYPH_WIDTH * GLYPH_HEIGHT);
  for (let y = 0; y < GLYPH_HEIGHT; y++) {
    const group = rows[y]!.split(" ")[column];
    if (group === undefined || !/^[#.]{5}$/.test(group)) {
      throw new Error(`bitmap font: row ${y} of '${character}' is ${String(group)}`);
    }
    for (let x = 0; x < GLYPH_WIDTH; x++) bits[y * GLYPH_WIDTH + x] = group[x] === "#" ? 1 : 0;
  }
  return bits;
}

function buildGlyphs(): Map<string, Uint8Array> {
  const glyphs = new Map<string, Uint8Array>();
  for (const [characters, rows] of SHEETS) {
    for (const row of rows) {
      if (row.split(" ").length !== characters.length) {
        throw new Error(`bitmap font: sheet "${characters}" has a row of the wrong length`);
      }
    }
    for (let i = 0; i < characters.length; i++) {
      const character = characters[i]!;
      if (glyphs.has(character)) throw new Error(`bitmap font: '${character}' defined twice`);
      glyphs.set(character, parseGlyph(rows, i, character));
    }
  }
  return glyphs;
}

const GLYPHS = buildGlyphs();

/** The box drawn for characters the font does not have. */
export const MISSING_GLYPH: Uint8Array = parseGlyph(BOX_ROWS.split(" "), 0, "missing");

/** Every character the font draws, in table order. */
export const FONT_CHARACTERS: string = [...GLYPHS.keys()].join("");

/**
 * The bitmap of one character: GLYPH_WIDTH x GLYPH_HEIGHT bytes, row-major, 1 where inked.
 * Characters outside the font (including every non-ASCII one) get MISSING_GLYPH, a box. The
 * array is shared: do not write to it.
 */
export function glyph(character: string): Uint8Array {
  return GLYPHS.get(character) ?? MISSING_GLYPH;
}
