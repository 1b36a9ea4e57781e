#!/usr/bin/env python3
"""PyTorch twin of bench/GanSteps.java: seconds per G + D iteration of the face case study's DCGAN.

    /usr/bin/python3 bench/gan_torch.py [--width 64] [--threads 2] [--timed 60] [--warm 40] [--recipe bench|study]

G: [z(64) || c(4)] -> Linear -> [w, 4, 4] -> (BatchNorm, ReLU, ConvTranspose 4/2/1) x 3 (w -> w/2 ->
w/4 -> 3) -> tanh. D: (Conv 4/2/1, LeakyReLU 0.2) x 3 (3 -> w/4 -> w/2 -> w) -> flatten -> Linear -> 1
logit, spectral norm on every D weight (torch.nn.utils.spectral_norm, one power iteration per
forward). Batch 32 of 32x32 images, Adam(2e-4, betas (0.5, 0.999)) for both, non-saturating BCE.
One iteration is what Regula's GanTrainer.step does: G forward, D forward on real and fake in one
batch, D backward and step, D forward on the fake batch, backward through D into G, G step.
With --recipe study the networks and losses are those `regula gan` trains (bench/gan-twin/gan_twin.py):
G upsamples by nn.Upsample(2) + Conv 3/1/1, D has a projection head D(x, c) = w'h + b + (Vc)'h and no
spectral norm, Adam(5e-4, betas (0.5, 0.999)), and every 16th iteration adds the lazy R1 penalty
(gamma 10, by double backpropagation) to D's loss.
Prints RESULT gan_iter_s_w<w> torch <median seconds> s (gan_study_iter_s_w<w> for the study's recipe)
and the process CPU time per timed iteration.
"""
import argparse, statistics, time
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--width", type=int, default=64)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--timed", type=int, default=60)
p.add_argument("--warm", type=int, default=40)
p.add_argument("--recipe", choices=["bench", "study"], default="bench")
a = p.parse_args()
study = a.recipe == "study"
torch.set_num_threads(a.threads)
torch.manual_seed(1)
w, n, latent, cond = a.width, 32, 64, 4
sn = nn.utils.spectral_norm

if study:
    def up(cin, cout):
        return [nn.BatchNorm2d(cin), nn.ReLU(), nn.Upsample(scale_factor=2), nn.Conv2d(cin, cout, 3, 1, 1)]
    G = nn.Sequential(nn.Linear(latent + cond, w * 16), nn.Unflatten(1, (w, 4, 4)),
                      *up(w, w // 2), *up(w // 2, w // 4), *up(w // 4, 3), nn.Tanh())

    class ProjectionD(nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = nn.Sequential(nn.Conv2d(3, w // 4, 4, 2, 1), nn.LeakyReLU(0.2),
                                       nn.Conv2d(w // 4, w // 2, 4, 2, 1), nn.LeakyReLU(0.2),
                                       nn.Conv2d(w // 2, w, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten())
            self.head = nn.Linear(w * 16, 1)
            self.embed = nn.Parameter(torch.randn(w * 16, cond) * 0.02)

        def forward(self, x, c):
            h = self.trunk(x)
            return self.head(h) + ((c @ self.embed.t()) * h).sum(1, keepdim=True)
    D = ProjectionD()
else:
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
lr = 5e-4 if study else 2e-4
optG = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
real = torch.rand(n, 3, 32, 32) * 2 - 1
c = (torch.rand(n, cond) < 0.5).float()
labels = torch.cat([torch.ones(n, 1), torch.zeros(n, 1)])
ones = torch.ones(n, 1)

iteration = 0

def score(x, cc):
    return D(x, cc) if study else D(x)

def step():
    global iteration
    z = torch.randn(n, latent)
    fake = G(torch.cat([z, c], 1))
    optD.zero_grad()
    lossD = bce(score(torch.cat([real, fake.detach()]), torch.cat([c, c])), labels)
    if study and iteration % 16 == 0:
        xr = real.clone().requires_grad_(True)
        g, = torch.autograd.grad(D(xr, c).sum(), xr, create_graph=True)
        lossD = lossD + 10 * 16 / 2 * g.pow(2).sum([1, 2, 3]).mean()
    lossD.backward()
    optD.step()
    optG.zero_grad()
    lossG = bce(score(fake, c), ones)
    lossG.backward()
    optG.step()
    iteration += 1

for _ in range(a.warm):
    step()
times = []
cpu0 = time.process_time()
for _ in range(a.timed):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
cpu = (time.process_time() - cpu0) / a.timed
print(f"RESULT gan_{'study_' if study else ''}iter_s_w{w} torch {statistics.median(times):.4f} s (median of {a.timed}, min {min(times):.4f}, "
      f"torch {torch.__version__}, {torch.get_num_threads()} threads; process CPU {cpu:.4f} s/iteration)")
