/**
 * What the views write for numbers, sizes, dates, rates and time left
 * (renderer/src/components/format.ts). Dates and counts follow the machine's locale, so those
 * are compared with the locale's own writing; everything else is exact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baseName,
  formatAperture,
  formatBytes,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatExposureTime,
  formatFocalLength,
  formatIso,
  formatRate,
  formatTimeLeft,
  similarityPercent,
} from '../../renderer/src/components/format.js';

describe('sizes and counts', () => {
  it('formatBytes: bytes, then one decimal below 10 of a unit, none above', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(10 * 1024), '10 KB');
    assert.equal(formatBytes(5.25 * 1024 * 1024), '5.3 MB');
    assert.equal(formatBytes(48 * 1024 * 1024), '48 MB');
    assert.equal(formatBytes(1023.7 * 1024), '1.0 MB', 'never "1024 KB"');
    assert.equal(formatBytes(3 * 1024 ** 4), '3.0 TB');
    assert.equal(formatBytes(5000 * 1024 ** 4), '5000 TB', 'TB is the largest unit');
  });

  it('formatCount: one, many, and irregular plurals', () => {
    assert.equal(formatCount(1, 'photo'), '1 photo');
    assert.equal(formatCount(0, 'photo'), '0 photos');
    assert.equal(formatCount(2, 'person', 'people'), '2 people');
    assert.equal(formatCount(1, 'person', 'people'), '1 person');
    assert.equal(formatCount(12_345, 'photo'), `${(12_345).toLocaleString()} photos`);
  });

  it('similarityPercent: a score as a whole percentage, clamped to 0–100', () => {
    assert.equal(similarityPercent(0.876), '88%');
    assert.equal(similarityPercent(1), '100%');
    assert.equal(similarityPercent(1.2), '100%');
    assert.equal(similarityPercent(-0.3), '0%');
  });

  it('baseName: the last part of a path, either slash', () => {
    assert.equal(baseName('/photos/2024/IMG_1.jpg'), 'IMG_1.jpg');
    assert.equal(baseName('C:\\Users\\me\\Pictures\\cat.heic'), 'cat.heic');
    assert.equal(baseName('/photos/trip/'), 'trip');
    assert.equal(baseName('plain.png'), 'plain.png');
    assert.equal(baseName(''), '');
  });
});

describe('dates', () => {
  const iso = '2024-05-17T14:30:00Z';

  it('formatDate: the capture date, else the file time, else "Unknown date"', () => {
    const shown = (d: Date) => d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
    assert.equal(formatDate(iso), shown(new Date(iso)));
    assert.equal(formatDate(iso, 0), shown(new Date(iso)), 'the capture date wins over the file time');
    assert.equal(formatDate(null, Date.UTC(2020, 0, 2, 12)), shown(new Date(Date.UTC(2020, 0, 2, 12))));
    assert.equal(formatDate(null), 'Unknown date');
    assert.equal(formatDate('not a date'), 'Unknown date');
    assert.match(formatDate(iso), /2024/);
  });

  it('formatDateTime: with the time of day', () => {
    const shown = new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    assert.equal(formatDateTime(iso), shown);
    assert.notEqual(formatDateTime(iso), formatDate(iso));
    assert.equal(formatDateTime(null), 'Unknown date');
  });
});

describe('rates and time left', () => {
  it('formatDuration: seconds, minutes, hours and minutes, rounded once', () => {
    assert.equal(formatDuration(0), '1 s', 'never "0 s" for work still going');
    assert.equal(formatDuration(-5), '1 s');
    assert.equal(formatDuration(0.4), '1 s');
    assert.equal(formatDuration(42.4), '42 s');
    assert.equal(formatDuration(59.4), '59 s');
    assert.equal(formatDuration(59.6), '1 min', 'not "60 s"');
    assert.equal(formatDuration(89), '1 min');
    assert.equal(formatDuration(90), '2 min');
    assert.equal(formatDuration(3569), '59 min');
    assert.equal(formatDuration(3599), '1 h 0 min', 'not "60 min"');
    assert.equal(formatDuration(5400), '1 h 30 min');
    assert.equal(formatDuration(7199), '2 h 0 min', 'not "1 h 60 min"');
    assert.equal(formatDuration(26 * 3600 + 5 * 60), '26 h 5 min');
  });

  it('formatDuration: no estimate yet', () => {
    assert.equal(formatDuration(null), 'estimating…');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), 'estimating…');
    assert.equal(formatDuration(Number.NaN), 'estimating…');
  });

  it('formatTimeLeft: as the progress cards say it', () => {
    assert.equal(formatTimeLeft(null), 'Estimating time left…');
    assert.equal(formatTimeLeft(125), '2 min left');
    assert.equal(formatTimeLeft(3), '3 s left');
  });

  it('formatRate: to a tenth, with its unit', () => {
    assert.equal(formatRate(2.46, 'img'), '2.5 img/s');
    assert.equal(formatRate(0.04, 'photos'), '0.0 photos/s');
    assert.equal(formatRate(12, 'img'), '12.0 img/s');
    assert.equal(formatRate(1234.56, 'img'), '1234.6 img/s');
  });
});

describe('exposure', () => {
  it('formatExposureTime: fractions below a second where they are clean', () => {
    assert.equal(formatExposureTime(0.004), '1/250 s');
    assert.equal(formatExposureTime(1 / 60), '1/60 s');
    assert.equal(formatExposureTime(0.3), '0.3 s');
    assert.equal(formatExposureTime(2), '2 s');
    assert.equal(formatExposureTime(2.54), '2.5 s');
    assert.equal(formatExposureTime(0), null);
    assert.equal(formatExposureTime(null), null);
  });

  it('aperture, ISO and focal length: written as photographers do, nothing for no value', () => {
    assert.equal(formatAperture(2.8), 'f/2.8');
    assert.equal(formatAperture(8), 'f/8');
    assert.equal(formatAperture(0), null);
    assert.equal(formatIso(400.4), 'ISO 400');
    assert.equal(formatIso(null), null);
    assert.equal(formatFocalLength(35), '35 mm');
    assert.equal(formatFocalLength(4.54), '4.5 mm');
    assert.equal(formatFocalLength(-1), null);
  });
});
