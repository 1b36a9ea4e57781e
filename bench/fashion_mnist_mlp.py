#!/usr/bin/env python3
"""PyTorch CPU reference for Regula's Fashion-MNIST MLP (784-256-256-10 ReLU, dropout 0.2,
L2 1e-4 on weights only, SGD momentum 0.9, lr 0.05, batch 128), on the same Debian IDX files.

    /usr/bin/python3 bench/fashion_mnist_mlp.py [--epochs 10] [--threads 2] [--normalize standardize|none] [--seed 42]

Needs Debian's python3-torch and python3-numpy. Prints one line per epoch and the seconds per epoch.
"""
import argparse, gzip, time
import numpy as np
import torch
from torch import nn

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--normalize", default="standardize", choices=["standardize", "none"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr = torch.tensor(idx(f"{a.data}/train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    ytr = torch.tensor(idx(f"{a.data}/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(idx(f"{a.data}/t10k-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    yte = torch.tensor(idx(f"{a.data}/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    if a.normalize == "standardize":
        m, s = xtr.mean(), xtr.std(unbiased=False)
        xtr, xte = (xtr - m) / s, (xte - m) / s
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": 1e-4}, {"params": biases, "weight_decay": 0}],
                          lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            idx_b = perm[i:i + 128]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx_b]), ytr[idx_b])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
        model.eval()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print(f"epoch {epoch:2d}  test acc {acc:.4f}  {times[-1]:.2f}s", flush=True)
    print(f"pytorch {torch.__version__}: final test accuracy {acc:.4f}, mean epoch {sum(times)/len(times):.2f}s ({a.threads} threads)")

if __name__ == "__main__":
    main()
