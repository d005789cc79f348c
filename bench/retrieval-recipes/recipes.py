"""Shared helpers of sweep.py: cached maps, pooling, PCA-whitening as search/whitening.ts does it, metrics, DBA/αQE."""
import numpy as np, json, os
C = os.environ.get('CACHE', '/tmp/retrieval-cache')
files = open(f'{C}/files.txt').read().split()
labels_all = np.array([f.split('/')[0] for f in files])

def load(tag, size):
    shape = json.load(open(f'{C}/{tag}-{size}.shape'))
    m = np.fromfile(f'{C}/{tag}-{size}.f16', dtype=np.float16)
    return m.reshape(len(files), 2, *shape)  # N, view, H, W, C

def gem(maps, p):
    x = np.maximum(maps.astype(np.float32), 1e-6)
    if p == 1: return x.mean(axis=(-3, -2))
    if p == np.inf: return x.max(axis=(-3, -2))
    return (x ** p).mean(axis=(-3, -2)) ** (1 / p)

def rmac_regions(H, W, L=3):
    # Tolias et al. 2016 regions (square, overlap ~40%), in cells
    regs = []
    w = min(H, W)
    for l in range(1, L + 1):
        wl = int(np.floor(2 * w / (l + 1)))
        if wl < 1: continue
        for ny in [l]:
            ys = np.linspace(0, H - wl, l).round().astype(int) if l > 1 else [ (H - wl)//2 ]
            xs = np.linspace(0, W - wl, l).round().astype(int) if l > 1 else [ (W - wl)//2 ]
            for y in ys:
                for x in xs:
                    regs.append((y, x, wl))
    return regs

def l2n(x, axis=-1):
    return x / np.maximum(np.linalg.norm(x, axis=axis, keepdims=True), 1e-12)

def ssqrt(x): return np.sign(x) * np.sqrt(np.abs(x))

def whiten(X, dims=256, power=0.25, fit=None):
    # X already ssqrt+l2 normalised rows
    F = X if fit is None else fit
    mu = F.mean(0)
    Fc = F - mu
    U, S, Vt = np.linalg.svd(Fc, full_matrices=False)
    k = min(dims, len(F) - 2)
    lam = S[:k] ** 2 / len(F)
    P = Vt[:k] * (lam ** -power)[:, None]
    return l2n((X - mu) @ P.T)

def prep(v): return l2n(ssqrt(v))

def mean_ap(S, labels, ks=(1, 10)):
    # S: n×n similarity, self excluded
    n = len(labels)
    S = S.copy(); np.fill_diagonal(S, -np.inf)
    order = np.argsort(-S, axis=1)[:, :n - 1]
    rel = labels[order] == labels[:, None]
    nrel = rel.sum(1)
    cum = np.cumsum(rel, 1)
    prec = cum / np.arange(1, n)[None, :]
    ap = (prec * rel).sum(1) / np.maximum(nrel, 1)
    return ap.mean(), rel[:, 0].mean(), rel[:, :10].mean()

def knn(S, k):
    S = S.copy(); np.fill_diagonal(S, -np.inf)
    idx = np.argsort(-S, axis=1)[:, :k]
    return idx, np.take_along_axis(S, idx, 1)

def aqe(X, k=5, alpha=3.0, Xdb=None):
    # alpha-QE (Radenovic et al.): q' = q + sum_i sim_i^alpha x_i over top-k db neighbours
    Xdb = X if Xdb is None else Xdb
    S = X @ Xdb.T
    idx, s = knn(S, k)
    w = np.maximum(s, 0) ** alpha
    return l2n(X + (w[:, :, None] * Xdb[idx]).sum(1))

def dba(X, k=5, alpha=0.0):
    return aqe(X, k, alpha) if alpha > 0 else dba_weighted(X, k)

def dba_weighted(X, k):
    # weighted DBA: itself + similarity-weighted neighbours (as in DESIGN trial)
    S = X @ X.T
    idx, s = knn(S, k)
    return l2n(X + (np.maximum(s, 0)[:, :, None] * X[idx]).sum(1))

rng = np.random.RandomState(11)
cats = np.array(sorted(set(labels_all)))
perm = rng.permutation(len(cats))
TUNE = set(cats[perm[:50]]); HELD = set(cats[perm[50:]])
def subset(which):
    s = TUNE if which == 'tune' else HELD
    return np.array([l in s for l in labels_all])
