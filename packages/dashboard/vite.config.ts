import { defineConfig } from "vite";

// Everything is bundled: no CDN, no external font; the page works offline.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
    assetsInlineLimit: 0,
  },
});
