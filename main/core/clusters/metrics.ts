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
