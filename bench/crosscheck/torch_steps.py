"""Cross-check, PyTorch side: replays RegulaSteps.java from the same initial weights and prints
max |torch - regula| per parameter. Usage: torch_steps.py WEIGHT_DECAY DIR (see bench/crosscheck/run)."""
import json, struct, gzip, sys
import numpy as np, torch
from torch import nn
def st(path):
    b = open(path, "rb").read(); n = struct.unpack("<Q", b[:8])[0]; h = json.loads(b[8:8+n]); out = {}
    for k, v in h.items():
        if k == "__metadata__": continue
        s, e = v["data_offsets"]; out[k] = torch.tensor(np.frombuffer(b[8+n+s:8+n+e], dtype="<f4").reshape(v["shape"]).copy())
    return out
def idx(p):
    d = gzip.open(p).read(); nd = d[3]; dims = [int.from_bytes(d[4+4*i:8+4*i], "big") for i in range(nd)]
    return np.frombuffer(d, dtype=np.uint8, offset=4+4*nd).reshape(dims)
x = torch.tensor(idx("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
y = torch.tensor(idx("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"), dtype=torch.long)
m, s = x.mean(), x.std(unbiased=False); x = ((x - m) / s)[:1280]; y = y[:1280]
import os; d = sys.argv[2] if len(sys.argv) > 2 else "."; init = st(os.path.join(d, "init.safetensors")); after = st(os.path.join(d, "after.safetensors"))
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
names = ["dense1", None, "dense2", None, "out"]
with torch.no_grad():
    for i, n in enumerate(names):
        if n: model[i].weight.copy_(init[n + ".weight"]); model[i].bias.copy_(init[n + ".bias"])
wd = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
ws = [p for k, p in model.named_parameters() if k.endswith("weight")]; bs = [p for k, p in model.named_parameters() if k.endswith("bias")]
opt = torch.optim.SGD([{"params": ws, "weight_decay": wd}, {"params": bs, "weight_decay": 0}], lr=0.05, momentum=0.9)
for i in range(0, 1280, 128):
    opt.zero_grad(); nn.CrossEntropyLoss()(model(x[i:i+128]), y[i:i+128]).backward(); opt.step()
for i, n in enumerate(names):
    if n:
        for kind in ["weight", "bias"]:
            t = getattr(model[i], kind).detach(); r = after[n + "." + kind]; i0 = init[n + "." + kind]
            print(f"{n}.{kind}: max |torch - regula| = {(t - r).abs().max():.3e}, max |change| = {(t - i0).abs().max():.3e}")
