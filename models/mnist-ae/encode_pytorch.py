#!/usr/bin/env python3
"""Encodes the first N MNIST training images with the PyTorch encoder (weights from pytorch/*.npy),
for the test that the TensorFlow.js encoder gives the same codes.
usage: encode_pytorch.py N OUT.npy [WEIGHTS_DIR]"""
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train import MEAN, MNIST, STD, Encoder, read_idx  # noqa: E402

n, out = int(sys.argv[1]), sys.argv[2]
weights = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(__file__).resolve().parent / "pytorch"
torch.set_num_threads(1)
enc = Encoder()
enc.load_state_dict({p.stem: torch.from_numpy(np.load(p)) for p in weights.glob("*.npy")})
enc.eval()
x = torch.from_numpy(read_idx(MNIST / "train-images-idx3-ubyte")[:n].astype(np.float32) / 255.0).unsqueeze(1)
with torch.no_grad():
    codes = enc((x - MEAN) / STD).numpy().astype(np.float32)
np.save(out, codes)
