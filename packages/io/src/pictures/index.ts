/**
 * @lacuna/io/pictures: PNG pictures drawn by Lacuna itself (a raster, a bitmap font, sharp for the
 * encoding): the least-covered grid, the scatter plot, an image as a data URL. A subpath of its own
 * because it loads sharp; callers that may not draw import it lazily.
 */
export { type GridTile, type GridPngOptions, gridPng } from "./grid-png.js";
export { type ScatterPngOptions, TABLEAU_10, UNLABELLED_GREY, scatterPng } from "./scatter-png.js";
export { MAX_IMAGE_SCALE, pngDataUrl } from "./png.js";
export { type Rgb } from "./raster.js";
