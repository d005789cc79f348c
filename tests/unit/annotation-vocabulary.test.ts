/** Everyday words reach the detector's COCO labels; run-together OCR words stay findable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COCO_LABELS, labelsForWord } from '../../main/core/annotation/vocabulary.js';
import { searchableText } from '../../main/core/annotation/annotations-repository.js';

test('synonyms, plurals and prefixes reach COCO labels', () => {
  const cases: [string, string][] = [
    ['motorbike', 'motorcycle'],
    ['Motorbikes', 'motorcycle'],
    ['plane', 'airplane'],
    ['aeroplane', 'airplane'],
    ['airplanes', 'airplane'],
    ['phone', 'cell phone'],
    ['mobile', 'cell phone'],
    ['sofa', 'couch'],
    ['people', 'person'],
    ['man', 'person'],
    ['woman', 'person'],
    ['dogs', 'dog'],
    ['pizzas', 'pizza'],
    ['chairs', 'chair'],
    ['umbrella', 'umbrella'],
    ['stop', 'stop sign'],
    ['tele', 'tv'],
  ];
  for (const [word, label] of cases) assert.ok(labelsForWord(word).includes(label as never), `${word} → ${label}: ${labelsForWord(word)}`);
  assert.deepEqual(labelsForWord('sunset'), []);
  assert.deepEqual(labelsForWord('x'), [], 'one letter reaches nothing');
  assert.equal(COCO_LABELS.length, 80);
});

test('run-together words read in a photo are split for search', () => {
  assert.equal(searchableText('RE16TGK'), 'RE16TGK\nRE 16 TGK');
  assert.equal(searchableText('HarbourStreet 42'), 'HarbourStreet 42\nHarbour Street 42');
  assert.equal(searchableText('plain words'), 'plain words');
});
