import { fileURLToPath } from "node:url";
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
    // two pages: the dashboard and the GraphiQL explorer
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL("index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("graphiql.html", import.meta.url)),
      },
    },
    chunkSizeWarningLimit: 6000,
  },
  worker: { format: "es" },
});
