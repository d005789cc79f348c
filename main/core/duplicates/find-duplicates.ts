/**
 * Finding duplicates in three tiers, each group with its evidence and a suggested keeper.
 *
 * 1. exact: files with the same content hash collapse into one node.
 * 2. candidate pairs of nodes come from two cheap sources, never from all pairs: the k nearest
 *    neighbours in the CNN search space (HNSW above a few thousand photos) and blocking on the
 *    perceptual hashes (nodes sharing any 16-bit band of their dHash or pHash; in a large library,
 *    also close in all 64 bits).
 * 3. each candidate is judged by the near rule (thresholds.ts): the combined distance
 *    (1 − raw CNN cosine) + w·(dHash + pHash)/128, with a thumbnail alignment check for the
 *    uncertain band; and, when asked for, by the similar-shot rule (CNN cosine + EXIF times).
 * 4. groups are built by complete linkage inside each connected component: two groups merge only
 *    if every cross pair passes the tier's rule, so A~B~C never chains A and C together when they
 *    are apart; "not duplicates" decisions forbid a pair outright. Near groups, once formed, are
 *    not merged into similar-shot groups, so asking for a looser tier only adds groups.
 * 5. every set of byte-identical files is an exact group of its own; a near or similar group
 *    holds one file of such a set (the one its exact group keeps), never the copies.
 * With the view signals (thresholds `viewSignals`, on by default) the copies people really have
 * are reached too: turned and mirrored copies by the hashes of every photo's eight poses
 * (views.ts), checked on the thumbnails in the matching pose; pairs alike to the CNN but not by
 * the hashes (padding, screenshots, deep crops) by an inset pixel check; inside a component, pairs
 * by the pose a common member implies; and linkage tolerates a few cross pairs that overlap only
 * in part (MAY_MISS). Calibrated with `npm run bench -- dupes-edits` (thresholds.ts).
 */
import { DisjointSets } from '../search/disjoint-sets.js';
import { knnGraph, type AnnParams, type KnnGraph } from '../clusters/neighbours.js';
import { chooseKeeper, type KeeperFacts } from './keeper.js';
import { pairKey } from './decisions.js';
import { HashTable, QuantisedVectors } from './signals.js';
import type { DuplicateThresholds } from './thresholds.js';
import { PoseTable } from './views.js';
import { PairKeys } from './pair-keys.js';
import { bestShot, type ShotQuality } from './shot-quality.js';
import { Rel, type Judgement } from './judgement.js';
import { completeLinkage, nearCluster } from './linkage.js';
import { exactEvidence, pairEvidence } from './evidence.js';
import { composePoses, inversePose, poseName } from '../imaging/view-hashes.js';
import type { DuplicateTier } from '../types.js';

export type DupeTier = DuplicateTier;
const TIER_LEVEL: Record<DupeTier, number> = { exact: 0, near: 1, similar: 2 };

export interface DupeFile extends KeeperFacts {
  id: number;
  contentHash: string | null;
  dhash: string | null;
  phash: string | null;
  /** An image to check alignment on (the thumbnail, or the file itself). */
  thumbnail: string | null;
  /** Hashes of the eight poses (imaging/view-hashes.ts), for rotated and mirrored copies. */
  viewHashes?: string | null;
}

export interface PairEvidence {
  /** File ids of the pair. */
  a: number;
  b: number;
  relation: DupeTier;
  /** Raw CNN cosine (null for exact pairs, which need no other evidence). */
  cosine: number | null;
  dhash: number | null;
  phash: number | null;
  /** The combined near distance. */
  distance: number | null;
  /** Thumbnail alignment: correlation of fine detail at the best placement, when checked. */
  alignment: number | null;
  /** How the member is turned or flipped against the keeper (views.ts), when it is. */
  pose?: string;
  secondsApart: number | null;
  label: string;
}

export interface DuplicateGroupResult {
  tier: DupeTier;
  /** Indices into the input files, keeper first. */
  members: number[];
  keeper: number;
  keeperReason: string;
  evidence: PairEvidence[];
}

export interface FinderStats {
  files: number;
  nodes: number;
  candidatePairs: number;
  judgedPairs: number;
  alignmentChecks: number;
  seconds: { neighbours: number; judge: number; group: number; total: number };
}

export interface SearchVectors {
  has(fileIndex: number): boolean;
  vector(fileIndex: number): Float32Array | null;
}

/** The search vectors of callers that hold them in an array (same order as the files). */
export function searchVectorsOf(vectors: (Float32Array | null)[]): SearchVectors {
  return { has: (i) => Boolean(vectors[i]), vector: (i) => vectors[i] ?? null };
}

export interface FinderInput {
  files: DupeFile[];
  /** Each file's unit search-space vector, by file index: asked for presence, read only where the graph is computed here. */
  searchVectors: SearchVectors;
  /** Loads the raw-space vectors of the given file indices into `into` (keyed by file index). */
  loadRaw: (fileIndices: number[], into: QuantisedVectors) => void;
  /** "a|b" content-hash keys of pairs the user marked as not duplicates. */
  notDuplicates: Set<string>;
  thresholds: DuplicateThresholds;
  /** The loosest tier wanted: exact, near (exact + near) or similar (all three). */
  maxTier: DupeTier;
  /** Thumbnail alignment of two files (null when it cannot be computed). */
  /** `mirror`: whether a mirrored match is plausible (the CNN finds the pair nearly identical). */
  /** `pose`: check `a` against `b` turned into this pose (view-hashes.ts), 0 = as it is. */
  align?: (a: DupeFile, b: DupeFile, hints: { mirror: boolean; pose?: number; inset?: boolean }) => Promise<{ intensity: number; detail: number; mirrored?: boolean } | null>;
  ann?: Partial<AnnParams>;
  /** The k-NN graph of the given files (rows in that order) if one is kept (see search/neighbour-graph), else null. */
  graph?: (fileIndices: number[], k: number) => KnnGraph | null;
  /** Sharpness and exposure of a file's picture: a burst (similar-shot group) keeps its best shot. */
  shotQuality?: (file: DupeFile) => Promise<ShotQuality | null>;
}

/** Hash-band buckets larger than this (flat or blank images) are not expanded into pairs. */
const MAX_BUCKET = 24;
/**
 * Unrelated photos share a 16-bit band by chance, the more the larger the library: from 2^16
 * photos every band value has a chance partner on average, and at a million photos 52 million
 * such pairs (the other 48 bits chance-level, about 24 apart) were judged, to no avail. From
 * that size a pair sharing a band is a candidate only when its whole hash (64 bits) is within
 * BAND_PAIR_BITS (and a pose pair within the pose check's distance). Below it every pair is:
 * some padded copies share a band with their photo and little else, and the pixel check finds
 * them (held-out padded copies of `npm run bench -- dupes-edits`: recall 0.85 with every pair,
 * 0.50 with the close ones only).
 */
const CLOSE_BAND_PAIRS_FROM = 2 ** 16;
const BAND_PAIR_BITS = 16;
/** A dHash this close to the other photo's mirror image makes a flipped copy plausible. */
const MIRROR_DHASH = 16;
/** Aspect ratios within 5 % (log ratio) are the same (a quarter turn swaps it: that is a difference). */
const ASPECT_SAME = 0.05;
/** A turned or flipped pose is checked instead of the upright one when its hashes are this much closer. */
const POSE_MARGIN = 8;
/**
 * With the view signals, two groups of near copies merge when all but this share of their cross
 * pairs are verified: copies cropped apart (one its left, the other its right) overlap only in
 * part and cannot be aligned one inside the other, while a distinct photo near one member by
 * mistake fails against most of the others.
 */
const MAY_MISS = 0.2;
/**
 * A copy keeps its camera's time (or loses it with the EXIF); it never gets another one. Two
 * photos whose EXIF times differ are two captures — unless by whole hours (one re-exported in
 * another time zone) — so they can be similar shots, never near copies.
 */
function differentCaptures(seconds: number | null): boolean {
  // (EXIF times are whole seconds: a copy's is the same to the second.)
  if (seconds === null || seconds < 1) return false;
  const hours = seconds / 3600;
  return !(hours <= 14 && Math.abs(hours - Math.round(hours)) * 3600 < 1);
}

/** Components larger than this are grouped from their known edges only. */
const MAX_COMPONENT = 1500;

export async function findDuplicates(input: FinderInput): Promise<{ groups: DuplicateGroupResult[]; stats: FinderStats }> {
  const t0 = performance.now();
  const { files, thresholds: t } = input;
  const level = TIER_LEVEL[input.maxTier];
  const notDup = input.notDuplicates;

  // --- 1. exact: one node per content ------------------------------------------------------
  const nodeFiles: number[][] = [];
  const byHash = new Map<string, number>();
  files.forEach((f, i) => {
    const h = f.contentHash;
    if (h && !notDup.has(pairKey(h, h))) {
      const node = byHash.get(h);
      if (node !== undefined) {
        nodeFiles[node].push(i);
        return;
      }
      byHash.set(h, nodeFiles.length);
    }
    nodeFiles.push([i]);
  });
  const n = nodeFiles.length;
  const rep = nodeFiles.map((list) => list[0]);
  const stats: FinderStats = {
    files: files.length,
    nodes: n,
    candidatePairs: 0,
    judgedPairs: 0,
    alignmentChecks: 0,
    seconds: { neighbours: 0, judge: 0, group: 0, total: 0 },
  };

  /** The file a set of byte-identical copies keeps: the one its exact group keeps. */
  const bestOfNode = (node: number): number =>
    nodeFiles[node].length === 1 ? nodeFiles[node][0] : chooseKeeper(nodeFiles[node].map((i) => ({ ...files[i], index: i }))).keeper.index;

  const groups: DuplicateGroupResult[] = [];
  if (level === 0) {
    for (const list of nodeFiles) if (list.length > 1) groups.push(makeGroup('exact', list, [], files));
    stats.seconds.total = (performance.now() - t0) / 1000;
    return { groups: sortGroups(groups, files), stats };
  }

  // --- 2. candidate pairs ------------------------------------------------------------------
  const dh = new HashTable(rep.map((i) => files[i].dhash));
  const ph = new HashTable(rep.map((i) => files[i].phash));
  const candidates = new PairKeys();
  const addPair = (i: number, j: number) => {
    if (i !== j) candidates.add(i < j ? i * n + j : j * n + i);
  };
  const withVector: number[] = [];
  for (let node = 0; node < n; node++) if (input.searchVectors.has(rep[node])) withVector.push(node);
  if (withVector.length > 1) {
    const computeGraph = () => {
      const dims = input.searchVectors.vector(rep[withVector[0]])!.length;
      const matrix = new Float32Array(withVector.length * dims);
      withVector.forEach((node, row) => matrix.set(input.searchVectors.vector(rep[node])!, row * dims));
      return knnGraph(matrix, dims, t.neighbours, input.ann);
    };
    const graph = input.graph?.(withVector.map((node) => rep[node]), t.neighbours) ?? computeGraph();
    for (let row = 0; row < graph.n; row++) {
      for (let j = 0; j < graph.k; j++) {
        const other = graph.neighbours[row * graph.k + j];
        if (other >= 0) addPair(withVector[row], withVector[other]);
      }
    }
  }
  const closeOnly = n >= CLOSE_BAND_PAIRS_FROM;
  for (const table of [dh, ph]) {
    for (let band = 0; band < 4; band++) {
      const buckets = new Map<number, number[]>();
      for (let node = 0; node < n; node++) {
        if (!table.present[node]) continue;
        const key = table.band(node, band);
        const bucket = buckets.get(key);
        if (bucket) bucket.push(node);
        else buckets.set(key, [node]);
      }
      for (const bucket of buckets.values()) {
        if (bucket.length < 2 || bucket.length > MAX_BUCKET) continue;
        for (let a = 0; a < bucket.length; a++) {
          for (let b = a + 1; b < bucket.length; b++) if (!closeOnly || table.distance(bucket[a], bucket[b]) <= BAND_PAIR_BITS) addPair(bucket[a], bucket[b]);
        }
      }
    }
  }
  // Turned and flipped copies: blocking on the hashes of every pose (views.ts).
  const poses = t.viewSignals ? new PoseTable(rep.map((i) => files[i].viewHashes ?? null)) : null;
  poses?.candidates(addPair, closeOnly ? t.poseDistance : Infinity);
  const poseMatch = (i: number, j: number) => poses!.bestPose(Math.min(i, j), Math.max(i, j));
  stats.candidatePairs = candidates.size;
  const t1 = performance.now();
  stats.seconds.neighbours = (t1 - t0) / 1000;

  // --- 3. judge candidates -----------------------------------------------------------------
  const raw = new QuantisedVectors();
  const ensureRaw = (nodes: Iterable<number>) => {
    const missing: number[] = [];
    for (const node of nodes) if (!raw.has(rep[node])) missing.push(rep[node]);
    if (missing.length) input.loadRaw(missing, raw);
  };
  const times = rep.map((i) => (files[i].takenAt ? Date.parse(files[i].takenAt!) : Number.NaN));
  const hashWeight = t.hashWeight / 128;
  // Pairs that cannot pass any wanted rule whatever their CNN cosine are dropped before loading vectors.
  const kept: number[] = [];
  for (const key of candidates) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    if (level >= 2 || hashWeight * (dh.distance(i, j) + ph.distance(i, j)) <= t.nearBand) kept.push(key);
    else if (poses && input.align && poseMatch(i, j).distance <= t.poseDistance) kept.push(key);
  }
  const keptNodes = new Set<number>();
  for (const key of kept) {
    keptNodes.add(Math.floor(key / n));
    keptNodes.add(key % n);
  }
  ensureRaw(keptNodes);

  const forbidden = (i: number, j: number): boolean => {
    const hi = files[rep[i]].contentHash;
    const hj = files[rep[j]].contentHash;
    return notDup.size > 0 && Boolean(hi && hj && notDup.has(pairKey(hi, hj)));
  };
  const aspectOf = rep.map((r) => (files[r].width && files[r].height ? files[r].width! / files[r].height! : Number.NaN));
  const aspectsDiffer = (i: number, j: number) => !(Math.abs(Math.log(aspectOf[i] / aspectOf[j])) < ASPECT_SAME);
  const judged = new Map<number, Judgement>();
  // Most candidates are judged unalike, once, when the candidates are first judged: those are not
  // kept (at a million photos, tens of millions of them filled the heap) and are judged again,
  // cheaply and the same, if asked again. From the grouping on, every judgement is kept: its
  // checks change it.
  let keepUnalike = false;
  const judge = (i: number, j: number): Judgement => {
    const key = i < j ? i * n + j : j * n + i;
    const known = judged.get(key);
    if (known) return known;
    const result = judgeAfresh(i, j);
    if (result.rel !== Rel.None || keepUnalike) judged.set(key, result);
    return result;
  };
  const judgeAfresh = (i: number, j: number): Judgement => {
    stats.judgedPairs++;
    const d1 = dh.distance(i, j);
    const d2 = ph.distance(i, j);
    const cosine = raw.cosine(rep[i], rep[j]);
    const seconds = Number.isFinite(times[i]) && Number.isFinite(times[j]) ? Math.abs(times[i] - times[j]) / 1000 : null;
    const result: Judgement = { rel: Rel.None, cosine, dh: d1, ph: d2, distance: Number.NaN, alignment: null, seconds, pose: 0 };
    if (forbidden(i, j)) return result;
    if (differentCaptures(seconds)) {
      // Two shots of one scene (a burst, the same place another day), however alike their pixels.
      result.rel = similarRule(result);
      return result;
    }
    if (Number.isNaN(cosine)) {
      // No CNN vector (should not happen for indexed photos): hashes alone, strictly.
      result.rel = d1 + d2 <= 6 ? Rel.Near : Rel.None;
    } else {
      result.distance = 1 - cosine + hashWeight * (d1 + d2);
      if (result.distance <= t.nearSure) result.rel = Rel.Near;
      else if (result.distance <= t.nearBand && input.align) result.rel = Rel.Check;
      else if (result.distance <= t.near) result.rel = Rel.Near;
      else result.rel = similarRule(result);
    }
    if (poses && input.align && result.rel !== Rel.Near) {
      // Closer turned or flipped than as it stands: checked in that pose (instead of upright).
      const match = poseMatch(i, j);
      if (match.pose !== 0 && match.distance <= t.poseDistance && match.distance + POSE_MARGIN <= d1 + d2) {
        result.pose = match.pose;
        result.rel = Rel.Check;
      }
    }
    if (t.viewSignals && input.align && result.rel !== Rel.Near && result.rel !== Rel.Check && cosine >= (aspectsDiffer(i, j) ? t.insetCosine : t.insetCosineSameAspect)) {
      // Alike to the CNN but not by the hashes: perhaps padded, framed in a screenshot or cut deeper.
      // (Padding, screenshots and one-sided crops change the aspect ratio; shots of one camera,
      // the bulk of alike pairs in a library, share it, so they need more to be checked.)
      result.inset = true;
      result.rel = Rel.Check;
    }
    return result;
  };
  const similarRule = (j: Judgement): Rel => {
    if (level < 2 || Number.isNaN(j.cosine)) return Rel.None;
    if (j.seconds !== null) return j.cosine >= t.similarCosine && j.seconds <= t.similarSeconds ? Rel.Similar : Rel.None;
    return j.cosine >= t.similarCosineNoTime ? Rel.Similar : Rel.None;
  };
  /** `inGroup`: pairs inside a forming group, few enough to always try the mirrored placement. */
  const runChecks = async (pairs: [number, number][], inGroup = false) => {
    const pending = pairs.filter(([i, j]) => judge(i, j).rel === Rel.Check);
    stats.alignmentChecks += pending.length;
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const [i, j] = pending[next++];
        const jd = judge(i, j);
        let score: { intensity: number; detail: number; mirrored?: boolean } | null = null;
        try {
          const mirror = inGroup || !(jd.cosine < t.mirrorCosine) || dh.mirroredDistance(i, j) <= MIRROR_DHASH;
          // (A pose is relative to the lower node: the higher one is turned to match it.)
          score = jd.pose
            ? await input.align!(files[rep[Math.min(i, j)]], files[rep[Math.max(i, j)]], { mirror: false, pose: jd.pose, inset: jd.inset })
            : await input.align!(files[rep[i]], files[rep[j]], { mirror, inset: jd.inset });
        } catch {
          score = null;
        }
        jd.alignment = score ? score.detail : null;
        jd.mirrored = score?.mirrored === true;
        if (score === null) jd.rel = jd.distance <= t.near ? Rel.Near : similarRule(jd);
        else jd.rel = score.detail >= t.alignmentDetail && score.intensity >= t.alignmentIntensity ? Rel.Near : similarRule(jd);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  };

  /** x ≈ y in pose relPose(x, y) (a judgement's pose turns the higher node onto the lower). */
  const relPose = (x: number, y: number): number => {
    const jd = judge(x, y);
    const p = jd.pose || (jd.mirrored ? 4 : 0);
    return x < y ? p : inversePose(p);
  };
  /**
   * Two copies of one photo edited differently (one turned, one padded into a screenshot) may be
   * verifiable only through a third member both are near: the pose between them follows from
   * their poses against it, and one inset check in that pose decides.
   */
  const checksThroughThird = (members: number[]): [number, number][] => {
    const out: [number, number][] = [];
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const [i, j] = [members[a], members[b]];
        const jd = judge(i, j);
        if (jd.rel === Rel.Near || jd.rel === Rel.Check || jd.throughThird || forbidden(i, j) || differentCaptures(jd.seconds)) continue;
        const k = members.find((m) => m !== i && m !== j && judge(i, m).rel === Rel.Near && judge(j, m).rel === Rel.Near);
        if (k === undefined) continue;
        const pose = composePoses(relPose(k, j), relPose(i, k)); // i ≈ posed(j, pose)
        jd.pose = i < j ? pose : inversePose(pose);
        jd.mirrored = false;
        jd.inset = true;
        jd.throughThird = true;
        jd.rel = Rel.Check;
        out.push([i, j]);
      }
    }
    return out;
  };

  const forEachKept = (visit: (i: number, j: number) => void) => {
    for (const key of kept) {
      const i = Math.floor(key / n);
      visit(i, key - i * n);
    }
  };
  // Each candidate judged once here (the unalike are not kept: see keepUnalike); alike pairs join
  // a component now, the uncertain ones once their pixel check has decided.
  const sets = new DisjointSets(n);
  const links = (rel: Rel) => rel === Rel.Near || (level >= 2 && rel === Rel.Similar);
  const firstChecks: [number, number][] = [];
  forEachKept((i, j) => {
    const rel = judge(i, j).rel;
    if (rel === Rel.Check) firstChecks.push([i, j]);
    else if (links(rel)) sets.join(i, j);
  });
  await runChecks(firstChecks);
  for (const [i, j] of firstChecks) if (links(judge(i, j).rel)) sets.join(i, j);
  const t2 = performance.now();
  stats.seconds.judge = (t2 - t1) / 1000;

  // --- 4. components, then complete linkage inside each -------------------------------------
  const components = sets.groups();
  const knownEdges = new Map<number, [number, number][]>();
  forEachKept((i, j) => {
    const root = sets.find(i);
    if (components.get(root)!.length < 2) return;
    const list = knownEdges.get(root);
    if (list) list.push([i, j]);
    else knownEdges.set(root, [[i, j]]);
  });
  keepUnalike = true;

  // Two copies edited apart (one turned, the other with a sticker burned in) can align a little
  // below the bar while every other pair vouches for them: a pair whose pixels still correlate
  // at `alignmentTolerated` does not keep two groups of one picture apart.
  const tolerated = (i: number, j: number) => Boolean(t.viewSignals) && (judge(i, j).alignment ?? -1) >= t.alignmentTolerated && !forbidden(i, j);
  for (const [root, members] of components) {
    if (members.length < 2) continue;
    const full = members.length <= MAX_COMPONENT;
    let pairs: [number, number][];
    if (full) {
      ensureRaw(members);
      pairs = [];
      for (let a = 0; a < members.length; a++) for (let b = a + 1; b < members.length; b++) pairs.push([members[a], members[b]]);
      // Two edits of one picture can be further apart than either is from it: inside a component
      // (few pairs) the pixel check also decides pairs up to the wider linkage band, so that a
      // group is not split by a pair the signals alone cannot vouch for.
      if (input.align) {
        for (const [i, j] of pairs) {
          const jd = judge(i, j);
          if (jd.rel !== Rel.Near && jd.alignment === null && jd.distance > t.nearBand && jd.distance <= t.linkBand && !forbidden(i, j)) jd.rel = Rel.Check;
        }
      }
      await runChecks(pairs, true);
      // (Each round's new near pairs can vouch for more pairs in the next.)
      for (let round = 0; round < 3 && input.align && t.viewSignals; round++) {
        const more = checksThroughThird(members);
        if (more.length === 0) break;
        await runChecks(more, true);
      }
    } else {
      pairs = knownEdges.get(root) ?? [];
    }
    const relOf = (i: number, j: number): Rel => {
      if (!full) {
        const key = i < j ? i * n + j : j * n + i;
        return judged.get(key)?.rel ?? Rel.None;
      }
      return judge(i, j).rel;
    };
    // A merge may leave pairs unverified, never a pair of two captures (their EXIF times differ).
    const mayNotMiss = (i: number, j: number) => forbidden(i, j) || differentCaptures(judge(i, j).seconds);
    const clusters = completeLinkage(members, pairs, relOf, judge, level, tolerated, t.viewSignals ? { share: MAY_MISS, forbidden: mayNotMiss } : undefined);
    for (const cluster of clusters) {
      if (cluster.length < 2) continue;
      // One file per distinct content: byte-identical copies are their own exact group (below),
      // linked to this one through the file both keep.
      const fileList = cluster.map(bestOfNode);
      const tier: DupeTier = nearCluster(cluster, (a, b) => relOf(a, b) === Rel.Near || tolerated(a, b), t.viewSignals ? MAY_MISS : 0) ? 'near' : 'similar';
      groups.push(makeGroup(tier, fileList, [], files));
    }
  }
  for (let node = 0; node < n; node++) {
    if (nodeFiles[node].length > 1) groups.push(makeGroup('exact', nodeFiles[node], [], files));
  }

  // A burst keeps its sharpest, best-exposed shot (shot-quality.ts), not its largest file.
  if (input.shotQuality) await Promise.all(groups.filter((g) => g.tier === 'similar').map((g) => keepBestShot(g, files, input.shotQuality!)));

  // Evidence: how each member relates to the keeper.
  const nodeOfFile = new Int32Array(files.length);
  nodeFiles.forEach((list, node) => list.forEach((i) => (nodeOfFile[i] = node)));
  for (const g of groups) {
    const k = g.keeper;
    for (const m of g.members) {
      if (m === k) continue;
      const a = nodeOfFile[k];
      const b = nodeOfFile[m];
      const judgement = a === b ? null : judge(a, b);
      const jd = judgement && judgement.rel !== Rel.Near && tolerated(a, b) ? { ...judgement, rel: Rel.Near } : judgement;
      const evidence = jd ? pairEvidence(files[k], files[m], jd, t) : exactEvidence(files[k], files[m]);
      // The member's pose against the keeper: the judgement's pose turns the higher node onto the lower.
      if (jd?.pose && jd.rel === Rel.Near) evidence.pose = poseName(a < b ? inversePose(jd.pose) : jd.pose);
      if (evidence.pose) evidence.label = evidence.label.replace('same picture re-encoded or edited', `same picture ${evidence.pose}`);
      g.evidence.push(evidence);
    }
  }
  stats.seconds.group = (performance.now() - t2) / 1000;
  stats.seconds.total = (performance.now() - t0) / 1000;
  return { groups: sortGroups(groups, files), stats };
}

function makeGroup(tier: DupeTier, fileIndices: number[], evidence: PairEvidence[], files: DupeFile[]): DuplicateGroupResult {
  const { keeper, reason } = chooseKeeper(fileIndices.map((i) => ({ ...files[i], index: i })));
  const rest = fileIndices.filter((i) => i !== keeper.index).sort((a, b) => files[a].path.localeCompare(files[b].path));
  return { tier, members: [keeper.index, ...rest], keeper: keeper.index, keeperReason: reason, evidence };
}

async function keepBestShot(group: DuplicateGroupResult, files: DupeFile[], qualityOf: (file: DupeFile) => Promise<ShotQuality | null>): Promise<void> {
  const qualities = await Promise.all(group.members.map((i) => qualityOf(files[i])));
  if (qualities.some((q) => !q)) return; // an unreadable shot: the file facts decide, as for other groups
  const best = bestShot(group.members.map((item, k) => ({ item, quality: qualities[k]! })));
  if (!best) return;
  group.keeper = best.item;
  group.keeperReason = best.reason;
  group.members = [best.item, ...group.members.filter((i) => i !== best.item).sort((a, b) => files[a].path.localeCompare(files[b].path))];
}

function sortGroups(groups: DuplicateGroupResult[], files: DupeFile[]): DuplicateGroupResult[] {
  return groups.sort(
    (a, b) => TIER_LEVEL[a.tier] - TIER_LEVEL[b.tier] || b.members.length - a.members.length || files[a.keeper].path.localeCompare(files[b.keeper].path),
  );
}
