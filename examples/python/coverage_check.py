#!/usr/bin/env python3
"""Lacuna from Python: the seed query, its radii as numpy arrays, checked against DataEval's definition.

Only the standard library and numpy. Start a server first (`npm start`, or `npx lacuna serve`), then:

    python3 examples/python/coverage_check.py [--url http://localhost:4000/graphql] [--api-key KEY]

The script asks Lacuna for the seed tutorial's coverage (MNIST training set, first 2000 images,
k = 20, 1 % adaptive) with the radii and indices as base64 little-endian float32 / int32, and for
the embeddings Lacuna computed them from (base64 float32). It then recomputes the critical value
radii and the adaptive coverage exactly as DataEval defines them, in numpy, and compares.
Exit status 0 when everything agrees, 1 when something differs.
"""

import argparse
import base64
import json
import os
import sys
import urllib.error
import urllib.request

import numpy as np

SEED = {
    "datasetId": "mnist:train",
    "selection": {"limit": 2000},
    "numObservations": 20,
    "percent": 0.01,
    "method": "ADAPTIVE",
}

QUERY = """
query Seed($input: CoverageInput!, $selection: SelectionInput) {
  coverage(input: $input) {
    coverageRadius
    count
    dimensions
    criticalValueRadiiBase64
    indicesBase64
    uncovered(first: 1000) { index label radius }
  }
  embeddings(datasetId: "mnist:train", selection: $selection) { count dimensions base64 }
}
"""


def graphql(url, query, variables, api_key=None):
    """POSTs one GraphQL operation; returns `data`, or exits with the server's errors."""
    headers = {"content-type": "application/json"}
    if api_key:
        headers["authorization"] = "Bearer " + api_key
    body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        answer = json.load(error)
    except urllib.error.URLError as error:
        sys.exit(f"cannot reach {url}: {error.reason} (is `npm start` running?)")
    if answer.get("errors"):
        sys.exit("the server refused: " + "; ".join(e["message"] for e in answer["errors"]))
    return answer["data"]


def float32s(text):
    """A base64 little-endian float32 field as a numpy array."""
    return np.frombuffer(base64.b64decode(text), dtype="<f4")


def int32s(text):
    """A base64 little-endian int32 field as a numpy array."""
    return np.frombuffer(base64.b64decode(text), dtype="<i4")


def critical_value_radii(x, k, block=256):
    """DataEval's radii: each row's Euclidean distance to its k-th nearest neighbour, itself excluded.

    Exact float64 differences summed over the dimensions in order (no |a|^2 + |b|^2 - 2ab
    expansion, which loses the small distances), in row blocks so no n x n x d array is made.
    """
    x = x.astype(np.float64)
    n, d = x.shape
    radii = np.empty(n)
    for start in range(0, n, block):
        rows = x[start : start + block]
        squared = np.zeros((rows.shape[0], n))
        for j in range(d):
            squared += (rows[:, j, None] - x[None, :, j]) ** 2
        # position 0 of each sorted row is the sample itself (distance 0), so position k is its
        # k-th neighbour; duplicates of the sample also sit at 0 and count, as in DataEval
        radii[start : start + block] = np.sqrt(np.partition(squared, k, axis=1)[:, k])
    return radii


def adaptive_coverage(radii, percent):
    """DataEval's adaptive coverage: the floor(n percent) (at least 1) largest radii are uncovered,
    by decreasing radius (equal radii: larger index first); the coverage radius is the mean of
    the sel-th and (sel+1)-th largest radii."""
    n = len(radii)
    sel = int(max(np.floor(n * percent), 1))
    order = np.argsort(radii, kind="stable")[::-1]
    radius = radii[order[sel - 1]] if sel == n else (radii[order[sel - 1]] + radii[order[sel]]) / 2
    return order[:sel], radius


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("LACUNA_URL", "http://localhost:4000/graphql"))
    parser.add_argument("--api-key", default=os.environ.get("LACUNA_API_KEY"))
    args = parser.parse_args()

    data = graphql(args.url, QUERY, {"input": SEED, "selection": SEED["selection"]}, args.api_key)
    result, embeddings = data["coverage"], data["embeddings"]
    n, d, k = result["count"], result["dimensions"], SEED["numObservations"]
    radii = float32s(result["criticalValueRadiiBase64"])
    indices = int32s(result["indicesBase64"])
    x = float32s(embeddings["base64"]).reshape(embeddings["count"], embeddings["dimensions"])
    assert radii.shape == (n,) and indices.shape == (n,) and x.shape == (n, d)

    expected = critical_value_radii(x, k)
    uncovered, coverage_radius = adaptive_coverage(expected, SEED["percent"])
    lacuna_uncovered = np.array([s["index"] for s in result["uncovered"]])

    checks = {
        # the base64 field is float32: the exact float64 radius, rounded once
        "radii (float32) equal DataEval's": bool(np.array_equal(radii, expected.astype(np.float32))),
        "JSON radii of the uncovered equal DataEval's": bool(
            np.allclose([s["radius"] for s in result["uncovered"]], expected[uncovered], rtol=1e-12, atol=0)
        ),
        "uncovered samples equal DataEval's, in order": bool(np.array_equal(lacuna_uncovered, indices[uncovered])),
        "coverage radius equals DataEval's": bool(np.isclose(result["coverageRadius"], coverage_radius, rtol=1e-12, atol=0)),
    }
    print(f"{n} samples x {d} dimensions, k = {k}: coverage radius {result['coverageRadius']:.6f}")
    labels = [s["label"] for s in result["uncovered"]]
    print(f"uncovered {len(lacuna_uncovered)}: labels {labels}")
    print(f"largest |radius difference| {np.max(np.abs(radii - expected)):.3g} (float32 rounding)")
    for name, ok in checks.items():
        print(("ok   " if ok else "FAIL ") + name)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
