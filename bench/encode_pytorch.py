#!/usr/bin/env python3
"""Times the seed's encoder in PyTorch on the CPU: encodes the first N MNIST training images at the
given batch size with the shipped weights (models/mnist-ae/pytorch). Prints {"seconds": s}.
usage: encode_pytorch.py N BATCH THREADS"""
import json, sys, time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "mnist-ae"))
from train import MEAN, MNIST, STD, Encoder, read_idx  # noqa: E402

n, batch, threads = (int(v) for v in sys.argv[1:4])
torch.set_num_threads(threads)
enc = Encoder()
weights = Path(__file__).resolve().parents[1] / "models" / "mnist-ae" / "pytorch"
enc.load_state_dict({p.stem: torch.from_numpy(np.load(p)) for p in weights.glob("*.npy")})
enc.eval()
x = torch.from_numpy(read_idx(MNIST / "train-images-idx3-ubyte")[:n].astype(np.float32) / 255.0).unsqueeze(1)
with torch.no_grad():
    enc((x[:batch] - MEAN) / STD)  # warm up
    t = time.perf_counter()
    for i in range(0, n, batch):
        enc((x[i: i + batch] - MEAN) / STD)
    print(json.dumps({"seconds": time.perf_counter() - t}))
