#!/usr/bin/env python3
"""Times scikit-learn and FAISS on the same embeddings as Lacuna's benchmark, k-th neighbour radii.

usage: peers.py EMB.npy K THREADS [PEERS [RUNS]]
  -> one JSON line {"times": {"sklearn-auto": s, "sklearn-brute": s, "faiss-flat": s, ...}, "missing": {...}}
PEERS: comma-separated subset of sklearn-auto, sklearn-brute, sklearn-kd_tree, faiss-flat (default:
sklearn-auto, sklearn-brute, faiss-flat; scikit-learn's 'auto' is its kd-tree up to 15 dimensions and
brute force from 16, so its tree is asked for by name there); RUNS: the
best of how many runs (default 2, 1 for large data). With RUNS, the radii are written beside the
input as EMB.PEER.radii.npy, for the caller's exact comparison.
Each peer's time covers index build and the all-points query (self excluded), as Lacuna's does.
Peers missing from this Python are reported as null with the reason.
"""
import json, os, sys, time

path, k, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
wanted = sys.argv[4].split(",") if len(sys.argv) > 4 else ["sklearn-auto", "sklearn-brute", "faiss-flat"]
save = len(sys.argv) > 5
import numpy as np

x = np.load(path)
out, why = {}, {}
try:
    from threadpoolctl import threadpool_limits
except ImportError:
    threadpool_limits = None


def best_of(fn, runs):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter(); result = fn(); times.append(time.perf_counter() - t)
    return min(times), result


runs = int(sys.argv[5]) if save else 1 if x.shape[0] * x.shape[0] * x.shape[1] > 5e9 else 2


def keep(name, radii):
    out[f"{name}-radius-sum"] = float(np.sum(radii))
    if save:
        np.save(f"{path}.{name}.radii.npy", np.asarray(radii, dtype=np.float64))

try:
    from sklearn.neighbors import NearestNeighbors
    for algo in ("auto", "brute", "kd_tree"):
        if f"sklearn-{algo}" not in wanted:
            continue
        def run():
            return NearestNeighbors(n_neighbors=k, algorithm=algo, n_jobs=threads).fit(x).kneighbors(None)[0][:, -1]
        if threadpool_limits:
            with threadpool_limits(limits=threads):
                out[f"sklearn-{algo}"], r = best_of(run, runs)
        else:
            out[f"sklearn-{algo}"], r = best_of(run, runs)
        keep(f"sklearn-{algo}", r)
except ImportError as e:
    why["sklearn"] = str(e)
try:
    if "faiss-flat" not in wanted:
        raise StopIteration
    import faiss
    faiss.omp_set_num_threads(threads)
    xf = np.ascontiguousarray(x, dtype=np.float32)
    def run():
        index = faiss.IndexFlatL2(xf.shape[1]); index.add(xf)
        d, _ = index.search(xf, k + 1)
        return np.sqrt(np.maximum(d[:, k], 0))
    out["faiss-flat"], r = best_of(run, runs)
    keep("faiss-flat", r)
except StopIteration:
    pass
except ImportError as e:
    why["faiss"] = str(e)
print(json.dumps({"times": out, "missing": why}))
