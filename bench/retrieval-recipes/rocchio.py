"""Rocchio ("more like these") on caltech101-dev: AP of one example vs the mean of three, first-wave vs R-MAC vectors."""
import sys
import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from recipes import *
M = load('conv1', 224)
def rmac(Mv, L=3):
    H, W = Mv.shape[-3:-1]; out = 0
    for (y, x, w) in rmac_regions(H, W, L): out = out + l2n(Mv[..., y:y+w, x:x+w, :].astype(np.float32).max(axis=(-3,-2)))
    return out
rng = np.random.RandomState(3)
cats = sorted(set(labels_all))
draws = []
for t in range(300):
    c = cats[rng.randint(len(cats))]
    members = np.where(labels_all == c)[0]
    draws.append(rng.choice(members, 3, replace=False))
def ap_of(scores, pos, c):
    mask = np.ones(len(scores), bool); mask[pos] = False
    order = np.argsort(-scores[mask]); rel = (labels_all[mask][order] == c)
    hits = np.cumsum(rel); return (hits / np.arange(1, len(rel) + 1))[rel].sum() / rel.sum()
for name, V in [('first wave (avg)', gem(M, 1).mean(1)), ('R-MAC', rmac(M).mean(1))]:
    X = whiten(prep(V))
    one = []; three = []
    for pos in draws:
        c = labels_all[pos[0]]
        one.append(ap_of(X @ X[pos[0]], pos, c))
        three.append(ap_of((X @ X[pos].T).mean(1), pos, c))
    print(f'{name}: 1 example AP {np.mean(one):.3f}, 3 positives (Rocchio mean) AP {np.mean(three):.3f}')
