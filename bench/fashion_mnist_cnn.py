#!/usr/bin/env python3
"""PyTorch twin of bench/CnnSteps.java: Regula's default cnn() on Fashion-MNIST.

    /usr/bin/python3 bench/fashion_mnist_cnn.py [--examples 6400] [--epochs 1] [--threads 2] [--seed 42]

cnn() is conv32-conv64-pool-dense128: [1, 28, 28] -> Conv 3x3/1/1 (32) -> ReLU -> Conv 3x3/1/1 (64)
-> ReLU -> MaxPool 2x2/2 -> flatten (12544) -> Linear 128 -> ReLU -> Linear 10, PyTorch's default
initialisation (as Regula's), inputs /255 standardised with one mean and one standard deviation
of the training set, SGD lr 0.05 momentum 0.9, batch 128, mean cross-entropy, no regularizer.
With --examples below 60000 it trains on the first that many images and tests on the first 1,000;
the figure to compare is the median step (the first 10 left out), with 469 steps as an epoch.
Prints RESULT cnn_step_ms torch <median ms> and the process CPU time per step after the first 10.
"""
import argparse, gzip, statistics, time
import numpy as np
import torch
from torch import nn

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

p = argparse.ArgumentParser()
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--examples", type=int, default=6400)
p.add_argument("--epochs", type=int, default=1)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=42)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
xtr = torch.tensor(idx(f"{a.data}/train-images-idx3-ubyte.gz").reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
ytr = torch.tensor(idx(f"{a.data}/train-labels-idx1-ubyte.gz"), dtype=torch.long)
xte = torch.tensor(idx(f"{a.data}/t10k-images-idx3-ubyte.gz").reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
yte = torch.tensor(idx(f"{a.data}/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
m, s = xtr.mean(), xtr.std(unbiased=False)
xtr, xte = (xtr - m) / s, (xte - m) / s
xtr, ytr = xtr[:a.examples], ytr[:a.examples]
if a.examples < 60000:
    xte, yte = xte[:1000], yte[:1000]
model = nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 14 * 14, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
steps = []
for epoch in range(1, a.epochs + 1):
    t0 = time.perf_counter()
    model.train()
    perm = torch.randperm(len(xtr))
    last = time.perf_counter()
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xtr[b]), ytr[b]).backward()
        opt.step()
        now = time.perf_counter()
        steps.append((now - last) * 1000)
        last = now
        if len(steps) == 10:
            cpu0 = time.process_time()
        cpu1 = time.process_time()
    model.eval()
    with torch.no_grad():
        acc = sum((model(xte[j:j + 1000]).argmax(1) == yte[j:j + 1000]).sum().item() for j in range(0, len(xte), 1000)) / len(xte)
    print(f"epoch {epoch:2d}  {time.perf_counter() - t0:.3f} s  test accuracy {acc:.4f}", flush=True)
timed = sorted(steps[min(10, len(steps) // 2):])
med = timed[len(timed) // 2]
cpu = (cpu1 - cpu0) * 1000 / max(1, len(steps) - 10)
print(f"RESULT cnn_step_ms torch {med:.2f} ms (median of {len(timed)} steps, torch {torch.__version__}, "
      f"{torch.get_num_threads()} threads; process CPU {cpu:.2f} ms/step); 469 steps: {med * 469 / 1000:.1f} s", flush=True)
