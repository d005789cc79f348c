/** Agreement between a clustering and reference labels. */

/**
 * Normalised mutual information, arithmetic normalisation (2·I / (H(labels) + H(clusters))),
 * as scikit-learn's default. 1 = the same partition; near 0 = independent.
 */
export function normalisedMutualInformation(labels: (string | number)[], clusters: (string | number)[]): number {
  const n = labels.length;
  if (n === 0 || clusters.length !== n) return 0;
  const joint = new Map<string, number>();
  const byLabel = new Map<string | number, number>();
  const byCluster = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${labels[i]}\u0000${clusters[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    byLabel.set(labels[i], (byLabel.get(labels[i]) ?? 0) + 1);
    byCluster.set(clusters[i], (byCluster.get(clusters[i]) ?? 0) + 1);
  }
  const labelCount = new Map([...byLabel].map(([k, v]) => [String(k), v]));
  const clusterCount = new Map([...byCluster].map(([k, v]) => [String(k), v]));
  let mutual = 0;
  for (const [key, count] of joint) {
    const [l, c] = key.split('\u0000');
    mutual += (count / n) * Math.log((count * n) / (labelCount.get(l)! * clusterCount.get(c)!));
  }
  const entropy = (m: Map<unknown, number>) => {
    let h = 0;
    for (const c of m.values()) h -= (c / n) * Math.log(c / n);
    return h;
  };
  const hl = entropy(byLabel);
  const hc = entropy(byCluster);
  if (hl + hc === 0) return 1;
  return (2 * mutual) / (hl + hc);
}

export interface BCubed {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * BCubed precision and recall (Bagga & Baldwin 1998; Amigó et al. 2009): for each photo, the share
 * of its cluster that has its label (precision) and the share of its label that is in its cluster
 * (recall), averaged over photos; F1 is their harmonic mean. A photo in no cluster is its own
 * singleton (`clusters[i]` null or undefined): precision 1, recall 1/|its label|. Unlike NMI over the
 * clustered photos, it cannot be gamed by leaving the hard photos out, and it rewards groups that a
 * category fills rather than pairs.
 */
export function bcubed(labels: (string | number)[], clusters: (string | number | null | undefined)[]): BCubed {
  const n = labels.length;
  if (n === 0 || clusters.length !== n) return { precision: 0, recall: 0, f1: 0 };
  const clusterOf = (i: number) => (clusters[i] === null || clusters[i] === undefined ? `\u0001${i}` : `\u0000${clusters[i]}`);
  const joint = new Map<string, number>();
  const byLabel = new Map<string, number>();
  const byCluster = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const l = String(labels[i]);
    const c = clusterOf(i);
    joint.set(`${l}\u0002${c}`, (joint.get(`${l}\u0002${c}`) ?? 0) + 1);
    byLabel.set(l, (byLabel.get(l) ?? 0) + 1);
    byCluster.set(c, (byCluster.get(c) ?? 0) + 1);
  }
  let precision = 0;
  let recall = 0;
  for (let i = 0; i < n; i++) {
    const l = String(labels[i]);
    const c = clusterOf(i);
    const both = joint.get(`${l}\u0002${c}`)!;
    precision += both / byCluster.get(c)!;
    recall += both / byLabel.get(l)!;
  }
  precision /= n;
  recall /= n;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}
