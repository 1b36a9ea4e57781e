#!/usr/bin/env python3
"""PyTorch twin of the face case study's GAN, to tell the recipe's limits from Regula's defects.

    /usr/bin/python3 bench/gan-twin/gan_twin.py DATA_DIR OUT.png [--iterations 2500] [--width 64] [--lr 5e-4]

Trains the networks of `regula gan` (defaults: width 64, nearest-neighbour upsampling, projection
discriminator, lazy R1 gamma 10 every 16 steps, Adam(lr, betas (0.5, 0.999)) for both, batch 32,
non-saturating loss, N(0, 0.02) initialisation) on the faces FacesDump.java wrote into DATA_DIR,
with no prior penalty (lambda = 0), and draws an 8x8 grid from the live generator in eval mode:
row r has the condition of training face 8r, column j one fixed z. If this grid looks like
Regula's at the same settings, what a reader sees is the recipe and the budget, not the library.
"""
import argparse, struct, time, zlib
import numpy as np
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("data"); p.add_argument("out")
p.add_argument("--iterations", type=int, default=2500)
p.add_argument("--width", type=int, default=64)
p.add_argument("--lr", type=float, default=5e-4)
p.add_argument("--r1", type=float, default=10.0)
p.add_argument("--threads", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(1)
X = torch.from_numpy(np.fromfile(f"{a.data}/x.f32", dtype="<f4").reshape(-1, 3, 32, 32))
C = torch.from_numpy(np.fromfile(f"{a.data}/c.f32", dtype="<f4").reshape(X.shape[0], -1))
w, n, latent, k, r1_every = a.width, 32, 64, C.shape[1], 16
ch = lambda side: max(1, w * 32 // (8 * side))

def up(cin, cout):
    return [nn.BatchNorm2d(cin), nn.ReLU(), nn.Upsample(scale_factor=2), nn.Conv2d(cin, cout, 3, 1, 1)]

G = nn.Sequential(nn.Linear(latent + k, ch(4) * 16), nn.Unflatten(1, (ch(4), 4, 4)),
                  *up(ch(4), ch(8)), *up(ch(8), ch(16)), *up(ch(16), 3), nn.Tanh())

class ProjectionD(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(3, ch(16), 4, 2, 1), nn.LeakyReLU(0.2),
                                   nn.Conv2d(ch(16), ch(8), 4, 2, 1), nn.LeakyReLU(0.2),
                                   nn.Conv2d(ch(8), ch(4), 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten())
        self.head = nn.Linear(ch(4) * 16, 1)
        self.embed = nn.Parameter(torch.randn(ch(4) * 16, k) * 0.02)

    def forward(self, x, c):
        h = self.trunk(x)
        return self.head(h) + ((c @ self.embed.t()) * h).sum(1, keepdim=True)

D = ProjectionD()
for m in list(G.modules()) + list(D.modules()):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.normal_(m.weight, 0, 0.02); nn.init.zeros_(m.bias)
optG = torch.optim.Adam(G.parameters(), a.lr, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), a.lr, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
labels = torch.cat([torch.ones(n, 1), torch.zeros(n, 1)])
batches = torch.Generator().manual_seed(2)
t0 = time.time()
for it in range(a.iterations):
    i = torch.randint(0, X.shape[0], (n,), generator=batches)
    x, c = X[i], C[i]
    fake = G(torch.cat([torch.randn(n, latent), c], 1))
    optD.zero_grad()
    loss = bce(D(torch.cat([x, fake.detach()]), torch.cat([c, c])), labels)
    if a.r1 > 0 and it % r1_every == 0:
        xr = x.clone().requires_grad_(True)
        g, = torch.autograd.grad(D(xr, c).sum(), xr, create_graph=True)
        loss = loss + a.r1 * r1_every / 2 * g.pow(2).sum([1, 2, 3]).mean()
    loss.backward(); optD.step()
    optG.zero_grad(); bce(D(fake, c), torch.ones(n, 1)).backward(); optG.step()
    if it % 500 == 0:
        print(f"iteration {it}: D loss {float(loss):.3f}, {time.time() - t0:.0f} s", flush=True)

G.eval()
with torch.no_grad():
    z = torch.randn(8, latent)
    img = G(torch.cat([z.repeat(8, 1), C[0:64:8].repeat_interleave(8, 0)], 1))
tiles = ((img.numpy() + 1) * 127.5).clip(0, 255).astype(np.uint8).transpose(0, 2, 3, 1)
grid = np.full((8 * 34, 8 * 34, 3), 64, np.uint8)
for t in range(64):
    r, q = divmod(t, 8); grid[r * 34 + 1:r * 34 + 33, q * 34 + 1:q * 34 + 33] = tiles[t]
grid = grid.repeat(2, 0).repeat(2, 1)

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

raw = b"".join(b"\x00" + grid[y].tobytes() for y in range(grid.shape[0]))
with open(a.out, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", grid.shape[1], grid.shape[0], 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
print(f"wrote {a.out} after {a.iterations} iterations ({time.time() - t0:.0f} s)")
