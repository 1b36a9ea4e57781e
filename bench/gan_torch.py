#!/usr/bin/env python3
"""PyTorch twin of bench/GanSteps.java: seconds per G + D iteration of the face case study's DCGAN.

    /usr/bin/python3 bench/gan_torch.py [--width 64] [--threads 2] [--timed 60] [--warm 40]

G: [z(64) || c(4)] -> Linear -> [w, 4, 4] -> (BatchNorm, ReLU, ConvTranspose 4/2/1) x 3 (w -> w/2 ->
w/4 -> 3) -> tanh. D: (Conv 4/2/1, LeakyReLU 0.2) x 3 (3 -> w/4 -> w/2 -> w) -> flatten -> Linear -> 1
logit, spectral norm on every D weight (torch.nn.utils.spectral_norm, one power iteration per
forward). Batch 32 of 32x32 images, Adam(2e-4, betas (0.5, 0.999)) for both, non-saturating BCE.
One iteration is what Regula's GanTrainer.step does: G forward, D forward on real and fake in one
batch, D backward and step, D forward on the fake batch, backward through D into G, G step.
Prints RESULT gan_iter_s_w<w> torch <median seconds> s and the process CPU time per timed iteration.
"""
import argparse, statistics, time
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--width", type=int, default=64)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--timed", type=int, default=60)
p.add_argument("--warm", type=int, default=40)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
w, n, latent, cond = a.width, 32, 64, 4
sn = nn.utils.spectral_norm

G = nn.Sequential(
    nn.Linear(latent + cond, w * 16), nn.Unflatten(1, (w, 4, 4)),
    nn.BatchNorm2d(w), nn.ReLU(), nn.ConvTranspose2d(w, w // 2, 4, 2, 1),
    nn.BatchNorm2d(w // 2), nn.ReLU(), nn.ConvTranspose2d(w // 2, w // 4, 4, 2, 1),
    nn.BatchNorm2d(w // 4), nn.ReLU(), nn.ConvTranspose2d(w // 4, 3, 4, 2, 1), nn.Tanh())
D = nn.Sequential(
    sn(nn.Conv2d(3, w // 4, 4, 2, 1)), nn.LeakyReLU(0.2),
    sn(nn.Conv2d(w // 4, w // 2, 4, 2, 1)), nn.LeakyReLU(0.2),
    sn(nn.Conv2d(w // 2, w, 4, 2, 1)), nn.LeakyReLU(0.2),
    nn.Flatten(), sn(nn.Linear(w * 16, 1)))
for m in list(G.modules()) + list(D.modules()):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight if not hasattr(m, "weight_orig") else m.weight_orig, 0.0, 0.02)
        nn.init.zeros_(m.bias)
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
real = torch.rand(n, 3, 32, 32) * 2 - 1
c = (torch.rand(n, cond) < 0.5).float()
labels = torch.cat([torch.ones(n, 1), torch.zeros(n, 1)])
ones = torch.ones(n, 1)

def step():
    z = torch.randn(n, latent)
    fake = G(torch.cat([z, c], 1))
    optD.zero_grad()
    lossD = bce(D(torch.cat([real, fake.detach()])), labels)
    lossD.backward()
    optD.step()
    optG.zero_grad()
    lossG = bce(D(fake), ones)
    lossG.backward()
    optG.step()

for _ in range(a.warm):
    step()
times = []
cpu0 = time.process_time()
for _ in range(a.timed):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
cpu = (time.process_time() - cpu0) / a.timed
print(f"RESULT gan_iter_s_w{w} torch {statistics.median(times):.4f} s (median of {a.timed}, min {min(times):.4f}, "
      f"torch {torch.__version__}, {torch.get_num_threads()} threads; process CPU {cpu:.4f} s/iteration)")
