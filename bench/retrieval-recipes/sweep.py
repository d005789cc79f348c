"""
Scores every retrieval recipe tried for issue 11 on the feature maps extract.mjs cached: pooling,
views, input sizes, layers, whitening, and re-ranking (global and local DBA / αQE, diffusion).
Leave-one-out mAP and P@10 on the whole set, and mAP on two halves of its categories (a fixed
random split: `tune` chose the settings, `held` only reports them). Needs numpy.

  node bench/retrieval-recipes/extract.mjs 224          # conv1-224 (the default recipe's map)
  node bench/retrieval-recipes/extract.mjs 320          # conv1-320 (a larger input)
  node bench/retrieval-recipes/extract.mjs 224 expanded_conv_16/project/BatchNorm/FusedBatchNormV3 ec16
  python3 bench/retrieval-recipes/sweep.py

CNN cost is in 224-px passes per photo (one pass ≈ 30 ms on one loaded core here).
"""
import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from recipes import *

maps = {k: load(*k) for k in [('conv1', 224), ('conv1', 320), ('ec16', 224)] if os.path.exists(f'{C}/{k[0]}-{k[1]}.f16')}
M = maps[('conv1', 224)]

def rmac(Mv, L=3, p=np.inf):
    H, W = Mv.shape[-3:-1]
    out = 0
    for (y, x, w) in rmac_regions(H, W, L):
        out = out + l2n(gem(Mv[..., y:y + w, x:x + w, :], p))
    return out

def local_rerank(X, R=100, kd=5, kq=3, aq=3.0):
    """search/rerank.ts: DBA + αQE among the query's R nearest; the rest after them."""
    n = len(X)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    out = S - 10
    order = np.argsort(-S, axis=1)
    for i in range(n):
        cand = order[i, :R]
        V = X[np.concatenate([[i], cand])]
        G = V @ V.T
        np.fill_diagonal(G, -np.inf)
        idx = np.argsort(-G, axis=1)[:, :kd]
        w = np.maximum(np.take_along_axis(G, idx, 1), 0)
        D = l2n(V + (w[:, :, None] * V[idx]).sum(1))
        s = D[1:] @ D[0]
        top = np.argsort(-s)[:kq]
        q2 = l2n(D[0] + ((np.maximum(s[top], 0) ** aq)[:, None] * D[1:][top]).sum(0))
        out[i, cand] = D[1:] @ q2 + 10
    return out

def diffusion(X, k=30, gamma=3, alpha=0.99):
    """Iscen et al. 2017: mutual kNN graph, (I - αS)⁻¹ y with y the query's kNN similarities."""
    n = len(X)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    rows = np.arange(n)[:, None]
    idx = np.argsort(-S, axis=1)[:, :k]
    A = np.zeros((n, n)); A[rows, idx] = np.maximum(S[rows, idx], 0) ** gamma
    Y = A.copy()
    A = np.minimum(A, A.T)
    d = A.sum(1); d[d == 0] = 1
    Sn = A / np.sqrt(d)[:, None] / np.sqrt(d)[None, :]
    return np.linalg.solve(np.eye(n) - alpha * Sn, Y.T).T

plain = lambda X: X @ X.T
def global_dba_qe(X, kd=5, kq=3, a=3):
    D = dba_weighted(X, kd)
    return (aqe(D, kq, a) @ D.T) if kq else D @ D.T

def run(name, V, score=plain, cnn='2', dims=256, power=0.25):
    cells = []
    for which in ['all', 'tune', 'held']:
        sel = np.ones(len(files), bool) if which == 'all' else subset(which)
        X = whiten(prep(V[sel]), dims, power)
        m, p1, p10 = mean_ap(score(X), labels_all[sel])
        cells.append(f'{m:.4f} {p10:.3f}' if which == 'all' else f'{m:.4f}')
    print(f'| {name} | {cnn} | ' + ' | '.join(cells) + ' |', flush=True)

print('| variant | CNN passes | all mAP P@10 | tune mAP | held mAP |')
print('|---|---|---|---|---|')
avg = gem(M, 1); R3 = rmac(M, 3)
run('avg pool, photo + mirror (first wave)', avg.mean(1))
run('avg pool, photo only', avg[:, 0], cnn='1')
for p in [2, 3, 4]: run(f'GeM p={p}, photo + mirror', gem(M, p).mean(1))
run('max pool, photo + mirror', gem(M, np.inf).mean(1))
run('R-MAC L=3, photo + mirror (new default)', R3.mean(1))
run('R-MAC L=3, photo only', R3[:, 0], cnn='1')
run('R-MAC L=2, photo + mirror', rmac(M, 2).mean(1))
run('R-MAC L=4, photo + mirror', rmac(M, 4).mean(1))
run('R-MAC L=3 GeM p=3 regions, photo + mirror', rmac(M, 3, 3).mean(1))
if ('conv1', 320) in maps:
    M3 = maps[('conv1', 320)]
    a3 = gem(M3, 1)
    run('320 px avg, photo only', a3[:, 0], cnn='2')
    run('320 px avg, photo + mirror', a3.mean(1), cnn='4')
    run('224 + 320 px avg, photo + mirror', l2n(avg.mean(1)) + l2n(a3.mean(1)), cnn='6')
    run('224 + 320 px GeM p=3, photo + mirror', l2n(gem(M, 3).mean(1)) + l2n(gem(M3, 3).mean(1)), cnn='6')
if ('ec16', 224) in maps:
    E = np.maximum(maps[('ec16', 224)].astype(np.float32), 0)
    run('block 16 projection (448-d) avg, photo + mirror', E.mean(axis=(-3, -2)).mean(1))
    run('R-MAC + block 16 max (concat), photo + mirror', np.concatenate([l2n(R3.mean(1)), 0.5 * l2n(E.max(axis=(-3, -2)).mean(1))], 1))
V = R3.mean(1)
for dims, power in [(128, 0.25), (128, 0.5), (256, 0), (256, 0.5), (512, 0.25)]:
    run(f'R-MAC, whitening dims={dims} power={power}', V, dims=dims, power=power)
for k, a in [(3, 1), (5, 1), (5, 3), (10, 1)]:
    run(f'R-MAC + αQE k={k} α={a} (query only)', V, lambda X: aqe(X, k, a) @ X.T)
for k in [3, 5, 8, 10]:
    run(f'R-MAC + DBA k={k}, whole library', V, lambda X: global_dba_qe(X, k, 0))
run('R-MAC + DBA k=5 + αQE k=3 α=3, whole library', V, global_dba_qe)
run('R-MAC + DBA k=10 + αQE k=3 α=3, whole library', V, lambda X: global_dba_qe(X, 10))
for R in [50, 100, 200]:
    run(f'R-MAC + DBA k=5 + αQE k=3 α=3 in the top {R}' + (' (new default)' if R == 100 else ''), V, lambda X: local_rerank(X, R))
run('R-MAC + DBA k=10 + αQE in the top 100', V, lambda X: local_rerank(X, 100, 10))
run('R-MAC + DBA k=5 only in the top 100', V, lambda X: local_rerank(X, 100, 5, 0))
run('R-MAC photo only + DBA + αQE in the top 100', R3[:, 0], lambda X: local_rerank(X, 100), cnn='1')
run('avg (first wave) + DBA + αQE in the top 100', avg.mean(1), lambda X: local_rerank(X, 100))
for k, g, a in [(10, 3, 0.9), (20, 3, 0.9), (30, 3, 0.99), (10, 1, 0.9)]:
    run(f'R-MAC + diffusion k={k} γ={g} α={a}', V, lambda X: diffusion(X, k, g, a))
