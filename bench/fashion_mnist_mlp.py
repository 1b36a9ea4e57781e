#!/usr/bin/env python3
"""PyTorch CPU reference for Regula's Fashion-MNIST MLP (784-256-256-10 ReLU, dropout 0.2,
L2 1e-4 on weights only, SGD momentum 0.9, lr 0.05, batch 128), on the same Debian IDX files.

    /usr/bin/python3 bench/fashion_mnist_mlp.py [--epochs 10] [--threads 2] [--normalize standardize|none] [--seed 42]
                                                [--hidden 256x256] [--batch 128]

Needs Debian's python3-torch and python3-numpy. Prints one line per epoch and the seconds per epoch.

It matches `regula train --reg 'l2(lambda=1e-4)' --reg 'dropout(p=0.2)'` (the defaults of
TrainCommand: mlp(hidden=256x256), sgd(lr=0.05, momentum=0.9), batch 128, standardize):
- inputs: pixels / 255, then standardised with ONE mean and ONE (population) standard deviation of
  the training set, applied to both sets (Regula's Standardizer);
- init: PyTorch's nn.Linear default, uniform(+-1/sqrt(in)) for weight and bias, as Regula's Dense;
- dropout (p = drop probability, inverted) after each hidden ReLU, not after the output layer;
- L2: Regula's l2(lambda) is lambda/2*||W||^2 with gradient lambda*W, on weights only; torch's
  SGD weight_decay=lambda adds the same lambda*W to the gradient; biases get no decay;
- mean cross-entropy over the batch, every epoch reshuffled, the last partial batch kept
  (469 steps per epoch).
--hidden 1024x1024 --batch 512 is the wide MLP of issue 24 (784-1024-1024-10, otherwise the same
recipe), matching `regula train --model 'mlp(hidden=1024x1024)' --batch 512 ...`.
An epoch's seconds cover the training steps AND the test-set evaluation, as Regula's
metrics.jsonl "seconds" does (Regula also computes the penalties and parameter statistics then).
The last three lines are machine-readable for bench/run:
RESULT mnist_epoch_s torch <mean seconds per epoch> s, RESULT mnist_median_epoch_s torch <median> s,
RESULT mnist_test_acc torch <percent> %.
"""
import argparse, gzip, statistics, sys, time
import numpy as np
import torch
from torch import nn

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

def hidden_sizes(text):
    """'256x256' -> [256, 256], as Regula's mlp(hidden=...)."""
    try:
        sizes = [int(v) for v in text.split("x")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"--hidden must be positive sizes joined by x, e.g. 256x256, got '{text}'")
    return sizes


def build_model(hidden=(256, 256)):
    """The reference MLP (or one with other hidden sizes) and its optimizer: L2 1e-4
    (weight_decay) on the weights only; dropout 0.2 after each hidden ReLU."""
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(0.2)]
        width = h
    model = nn.Sequential(*layers, nn.Linear(width, 10))
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": 1e-4}, {"params": biases, "weight_decay": 0}],
                          lr=0.05, momentum=0.9)
    return model, opt


def run_epoch(model, opt, loss_fn, xtr, ytr, xte, yte, batch):
    """One epoch as Regula's metrics count it: the reshuffled training steps, then the test-set
    evaluation. Returns (seconds, training seconds, test accuracy)."""
    t0 = time.perf_counter()
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), batch):
        idx_b = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xtr[idx_b]), ytr[idx_b])
        loss.backward()
        opt.step()
    train_s = time.perf_counter() - t0
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    return time.perf_counter() - t0, train_s, acc


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--normalize", default="standardize", choices=["standardize", "none"])
    p.add_argument("--hidden", type=hidden_sizes, default=[256, 256], help="hidden layer sizes, e.g. 1024x1024 (default 256x256)")
    p.add_argument("--batch", type=int, default=128, help="mini-batch size (default 128)")
    p.add_argument("--lockstep", action="store_true",
                   help="for bench/lockstep.py: print READY when set up, then per epoch wait for a GO line on "
                        "standard input and print EPOCH <n> <seconds> <test accuracy>")
    p.add_argument("--probe", action="store_true",
                   help="only time two epochs (training and evaluation) and print the faster: PROBE <seconds> s/epoch "
                        "(bench/run uses it to pick PyTorch's fastest threading environment)")
    a = p.parse_args()
    if a.batch < 1:
        p.error(f"--batch must be >= 1, got {a.batch}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr = torch.tensor(idx(f"{a.data}/train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    ytr = torch.tensor(idx(f"{a.data}/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(idx(f"{a.data}/t10k-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    yte = torch.tensor(idx(f"{a.data}/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    if a.normalize == "standardize":
        m, s = xtr.mean(), xtr.std(unbiased=False)
        xtr, xte = (xtr - m) / s, (xte - m) / s
    model, opt = build_model(a.hidden)
    loss_fn = nn.CrossEntropyLoss()
    if a.probe:
        # whole epochs on the real data: what the benchmark times, so the thread environment that
        # wins here wins there (a probe of 60 steps on random data, where PyTorch's steps ran about
        # 3x slower than on the real data, picked one 1.2-1.3x slower on real epochs); the faster of two
        seconds = min(run_epoch(model, opt, loss_fn, xtr, ytr, xte, yte, a.batch)[0] for _ in range(2))
        print(f"PROBE {seconds:.3f} s/epoch", flush=True)
        return
    times = []
    if a.lockstep:
        print("READY", flush=True)
    for epoch in range(1, a.epochs + 1):
        if a.lockstep and sys.stdin.readline().strip() != "GO":
            sys.exit("fashion_mnist_mlp.py: expected GO on standard input")
        seconds, train_s, acc = run_epoch(model, opt, loss_fn, xtr, ytr, xte, yte, a.batch)
        times.append(seconds)
        if a.lockstep:
            print(f"EPOCH {epoch} {times[-1]:.4f} {acc:.4f}", flush=True)
        else:
            print(f"epoch {epoch:2d}  test acc {acc:.4f}  {times[-1]:.2f}s (training {train_s:.2f}s)", flush=True)
    mean = sum(times) / len(times)
    print(f"pytorch {torch.__version__}: final test accuracy {acc:.4f}, mean epoch {mean:.2f}s "
          f"({torch.get_num_threads()} threads)")
    print(f"RESULT mnist_epoch_s torch {mean:.3f} s", flush=True)
    print(f"RESULT mnist_median_epoch_s torch {statistics.median(times):.3f} s", flush=True)
    print(f"RESULT mnist_test_acc torch {100 * acc:.2f} %", flush=True)

if __name__ == "__main__":
    main()
