/**
 * The detector's 80 COCO labels and the everyday words that reach them. A search word matches a
 * label when it is a prefix of the label, of one of the label's words, or of one of its synonyms
 * or plurals ("motorbike" → motorcycle, "plane" → airplane, "phone" → cell phone, "dogs" → dog).
 */

/** In the model's class order (index = class id of `tower_0/detections`). */
export const COCO_LABELS = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

export type CocoLabel = (typeof COCO_LABELS)[number];

/** Other words for a label (plurals of the label's own words are added by `wordsOf`). */
const SYNONYMS: Partial<Record<CocoLabel, string[]>> = {
  person: ['people', 'man', 'men', 'woman', 'women', 'human', 'child', 'children', 'kid', 'boy', 'girl', 'face', 'portrait'],
  bicycle: ['bike', 'cycle'],
  car: ['automobile', 'auto', 'vehicle'],
  motorcycle: ['motorbike', 'motorcycles', 'motorbikes', 'scooter', 'moped', 'bike'],
  airplane: ['aeroplane', 'plane', 'aircraft', 'jet', 'airliner'],
  bus: ['buses', 'coach'],
  truck: ['lorry'],
  boat: ['ship', 'yacht', 'sailboat', 'ferry', 'vessel'],
  'sports ball': ['ball', 'football', 'soccer'],
  bird: ['birds'],
  cat: ['kitten', 'kitty'],
  dog: ['puppy', 'doggy', 'hound'],
  couch: ['sofa', 'settee'],
  tv: ['television', 'monitor', 'screen'],
  'cell phone': ['phone', 'mobile', 'smartphone', 'cellphone', 'telephone'],
  laptop: ['notebook', 'computer'],
  'dining table': ['table'],
  'potted plant': ['plant', 'houseplant'],
  cup: ['mug'],
  donut: ['doughnut'],
  refrigerator: ['fridge'],
  'hair drier': ['hairdryer', 'dryer'],
  'wine glass': ['glass'],
  knife: ['knives'],
  sheep: ['lamb'],
  cow: ['cattle'],
};

/** A word's plural (enough for the words above; irregular ones are listed as synonyms). */
function plural(word: string): string {
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** Every word that names a label: its own words, its synonyms, and their plurals. */
function wordsOf(label: CocoLabel): string[] {
  const words = new Set<string>([label.replace(/\s+/g, ''), ...label.split(' ')]);
  for (const s of SYNONYMS[label] ?? []) words.add(s);
  for (const w of [...words]) words.add(plural(w));
  return [...words];
}

const VOCABULARY: [CocoLabel, string[]][] = COCO_LABELS.map((label) => [label, wordsOf(label)]);

/** The labels a search word reaches (prefix match, case-insensitive); empty for other words. */
export function labelsForWord(word: string): CocoLabel[] {
  const w = word.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (w.length < 2) return [];
  return VOCABULARY.filter(([, words]) => words.some((x) => x.startsWith(w))).map(([label]) => label);
}

export function isCocoLabel(tag: string): tag is CocoLabel {
  return (COCO_LABELS as readonly string[]).includes(tag);
}

/**
 * The labels a typed prefix reaches, each with the everyday word that reached it when that is not
 * the label itself ("peo" → person via "people"; "pers" → person): for suggestions as one types.
 */
export function labelsForPrefix(prefix: string): { label: CocoLabel; via: string | null }[] {
  const w = prefix.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return labelsForWord(prefix).map((label) => {
    const ownWords = [label, label.replace(/\s+/g, ''), ...label.split(' ')];
    if (ownWords.some((x) => x.startsWith(w))) return { label, via: null };
    const words = VOCABULARY.find(([l]) => l === label)![1];
    return { label, via: words.filter((x) => x.startsWith(w)).sort((a, b) => a.length - b.length)[0] ?? null };
  });
}
