/**
 * Lacuna's own landing page: everything inline, nothing fetched from another host, so it works
 * offline (Apollo's landing pages load scripts and fonts from a CDN and are disabled).
 */
export function landingPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lacuna ${version}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
textarea, pre { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
textarea { height: 9rem; }
pre { background: #f4f4f4; padding: .75rem; min-height: 6rem; overflow: auto; }
button { font: inherit; padding: .3rem 1rem; }
#grid img { image-rendering: pixelated; width: 84px; height: 84px; margin: 2px; border: 1px solid #ccc; }
</style>
</head>
<body>
<h1>Lacuna</h1>
<p>Finds the undersampled regions of an image dataset by coverage analysis. GraphQL is served at
<code>/graphql</code> (POST JSON <code>{"query": ...}</code>); health at <code>/health</code>.</p>
<form id="form">
<textarea id="query" spellcheck="false" aria-label="GraphQL query">query Seed {
  coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) {
    coverageRadius
    uncovered { index label radius image(scale: 3) }
  }
}</textarea>
<p><button type="submit">Run</button> <span id="status"></span></p>
</form>
<div id="grid"></div>
<pre id="result" aria-label="result"></pre>
<script>
const form = document.getElementById("form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = document.getElementById("status");
  const grid = document.getElementById("grid");
  status.textContent = "running…";
  grid.textContent = "";
  try {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: document.getElementById("query").value }),
    });
    const body = await response.json();
    const samples = body.data && body.data.coverage && body.data.coverage.uncovered || [];
    for (const s of samples) {
      if (!s.image) continue;
      const img = document.createElement("img");
      img.src = s.image;
      img.alt = "index " + s.index + ", label " + s.label;
      img.title = img.alt + ", radius " + s.radius;
      grid.appendChild(img);
    }
    document.getElementById("result").textContent = JSON.stringify(body, (k, v) => k === "image" ? "(image)" : v, 2);
    status.textContent = response.ok ? "done" : "HTTP " + response.status;
  } catch (error) {
    status.textContent = "failed: " + error.message;
  }
});
</script>
</body>
</html>
`;
}
