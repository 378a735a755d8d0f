import { mustBe } from "@lacuna/core";
import { LINE_ADVANCE } from "./bitmap-font.js";
import { MAX_IMAGE_SCALE } from "./png.js";
import {
  BLACK,
  MAX_RASTER_SIDE,
  Raster,
  type Rgb,
  WHITE,
  measureText,
  requireInteger,
} from "./raster.js";

/** One image of the grid: row-major bytes, shape [height, width, channels 1 or 3], a caption. */
export interface GridTile {
  pixels: Uint8Array;
  shape: readonly [number, number, number];
  /** Drawn centred under the image; "\n" separates lines. */
  caption: string;
}

export interface GridPngOptions {
  /** Tiles per row, an integer >= 1; default 5. */
  columns?: number;
  /** Upscale factor of every image (nearest neighbour), an integer in 1..MAX_IMAGE_SCALE; default 3. */
  scale?: number;
  /** Drawn centred above the grid at twice the caption size. */
  title?: string;
}

/** Outer margin of the picture and gap between cells, in pixels. */
export const GRID_PADDING = 8;
/** Width of the grey frame drawn around each image, outside it, in pixels. */
export const TILE_BORDER = 1;
/** Gap between the bottom of a frame and the top of its caption, in pixels. */
export const CAPTION_GAP = 4;
/** Font scale of the title (captions are drawn at scale 1). */
export const TITLE_SCALE = 2;
/** Most tiles per row. */
export const MAX_COLUMNS = 1000;
/** Largest image side accepted, in source pixels. */
export const MAX_TILE_SIDE = 4096;

const FRAME_GREY: Rgb = [170, 170, 170];

/** Where gridPng puts everything, in pixels of the output picture. */
export interface GridLayout {
  width: number;
  height: number;
  /** Columns actually used: min(columns, tiles.length), 0 for no tiles. */
  columns: number;
  rows: number;
  /** Size of one cell: the widest framed image or caption, by the tallest framed image plus caption. */
  cellWidth: number;
  cellHeight: number;
  /** Top-left pixel of each tile's (upscaled) image, x then y per tile; the frame lies outside it. */
  images: Int32Array;
  /** Top of each tile's caption, and the x of its cell's horizontal centre, x then y per tile. */
  captions: Int32Array;
}

function checkTile(tile: GridTile, index: number): void {
  const what = `gridPng: tile ${index}`;
  if (!(tile.pixels instanceof Uint8Array)) {
    throw new TypeError(`${what}: pixels must be a Uint8Array`);
  }
  const [height, width, channels] = tile.shape;
  requireInteger(`${what}: height`, height, 1, MAX_TILE_SIDE);
  requireInteger(`${what}: width`, width, 1, MAX_TILE_SIDE);
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(mustBe(`${what}: channels`, "1 (grey) or 3 (RGB)", channels));
  }
  if (tile.pixels.length !== height * width * channels) {
    throw new RangeError(
      `${what}: shape [${height}, ${width}, ${channels}] needs ${height * width * channels} bytes, received ${tile.pixels.length}`,
    );
  }
}

/**
 * Computes the picture size and every tile's position; validates the tiles and options first
 * (RangeError or TypeError naming the bad value). Cells are laid out left to right, top to
 * bottom; images are centred horizontally in their cells and aligned at the top.
 */
export function gridLayout(tiles: readonly GridTile[], options: GridPngOptions = {}): GridLayout {
  const columnOption = requireInteger("gridPng: columns", options.columns ?? 5, 1, MAX_COLUMNS);
  const scale = requireInteger("gridPng: scale", options.scale ?? 3, 1, MAX_IMAGE_SCALE);
  tiles.forEach(checkTile);

  let framedWidth = 0;
  let framedHeight = 0;
  let captionWidth = 0;
  let captionHeight = 0;
  for (const tile of tiles) {
    framedWidth = Math.max(framedWidth, tile.shape[1] * scale + 2 * TILE_BORDER);
    framedHeight = Math.max(framedHeight, tile.shape[0] * scale + 2 * TILE_BORDER);
    const caption = measureText(tile.caption);
    captionWidth = Math.max(captionWidth, caption.width);
    captionHeight = Math.max(captionHeight, caption.height);
  }
  const columns = Math.min(columnOption, tiles.length);
  const rows = columns === 0 ? 0 : Math.ceil(tiles.length / columns);
  const cellWidth = Math.max(framedWidth, captionWidth);
  const cellHeight = framedHeight + CAPTION_GAP + captionHeight;
  const gridWidth = columns * cellWidth + Math.max(0, columns - 1) * GRID_PADDING;
  const gridHeight = rows * cellHeight + Math.max(0, rows - 1) * GRID_PADDING;
  const title = options.title ? measureText(options.title, TITLE_SCALE) : undefined;
  const titleBlock = title ? title.height + GRID_PADDING : 0;
  const width = 2 * GRID_PADDING + Math.max(gridWidth, title?.width ?? 0);
  const height = 2 * GRID_PADDING + titleBlock + gridHeight;
  if (width > MAX_RASTER_SIDE || height > MAX_RASTER_SIDE) {
    throw new RangeError(
      `gridPng: the grid would be ${width} x ${height} pixels, more than ${MAX_RASTER_SIDE} on a side; pass fewer tiles, more columns or a smaller scale`,
    );
  }

  const left = GRID_PADDING + Math.floor((width - 2 * GRID_PADDING - gridWidth) / 2);
  const top = GRID_PADDING + titleBlock;
  const images = new Int32Array(tiles.length * 2);
  const captions = new Int32Array(tiles.length * 2);
  tiles.forEach((tile, i) => {
    const cellX = left + (i % columns) * (cellWidth + GRID_PADDING);
    const cellY = top + Math.floor(i / columns) * (cellHeight + GRID_PADDING);
    images[2 * i] = cellX + Math.floor((cellWidth - tile.shape[1] * scale) / 2);
    images[2 * i + 1] = cellY + TILE_BORDER;
    captions[2 * i] = cellX + Math.floor(cellWidth / 2);
    captions[2 * i + 1] = cellY + framedHeight + CAPTION_GAP;
  });
  return { width, height, columns, rows, cellWidth, cellHeight, images, captions };
}

/**
 * Draws images as a captioned grid and encodes it as a PNG: `columns` tiles per row (20 tiles at
 * the default 5 columns make 4 rows), each image upscaled `scale` times with nearest-neighbour
 * sampling inside a 1 px grey frame, its caption centred under it in the built-in bitmap font
 * (wider captions widen every cell), the optional title on top, on white. Tiles may mix grey and
 * RGB images and sizes. No tiles gives a small blank picture (with the title, if any).
 * Throws a RangeError or TypeError for a bad option or tile; see gridLayout.
 */
export async function gridPng(
  tiles: readonly GridTile[],
  options: GridPngOptions = {},
): Promise<Buffer> {
  const layout = gridLayout(tiles, options);
  const scale = options.scale ?? 3;
  const raster = new Raster(layout.width, layout.height, WHITE);
  if (options.title) {
    drawCentredLines(
      raster,
      Math.floor(layout.width / 2),
      GRID_PADDING,
      options.title,
      TITLE_SCALE,
    );
  }
  tiles.forEach((tile, i) => {
    const [height, width, channels] = tile.shape;
    const x = layout.images[2 * i]!;
    const y = layout.images[2 * i + 1]!;
    const b = TILE_BORDER;
    raster.strokeRect(x - b, y - b, width * scale + 2 * b, height * scale + 2 * b, b, FRAME_GREY);
    if (channels === 1) raster.blitGrey(tile.pixels, width, height, x, y, scale);
    else raster.blitRgb(tile.pixels, width, height, x, y, scale);
    drawCentredLines(raster, layout.captions[2 * i]!, layout.captions[2 * i + 1]!, tile.caption, 1);
  });
  return raster.toPng();
}

/** Draws each line of `text` centred on x = `centre`, the first line's top at `top`. */
function drawCentredLines(
  raster: Raster,
  centre: number,
  top: number,
  text: string,
  scale: number,
): void {
  text.split("\n").forEach((line, i) => {
    const x = centre - Math.floor(measureText(line, scale).width / 2);
    raster.text(x, top + i * LINE_ADVANCE * scale, line, BLACK, scale);
  });
}
