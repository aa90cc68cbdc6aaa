// The flashcard drill's schedule (themes/default/static/drill-schedule.js):
// Leitner boxes 1–5 due after 1, 2, 4, 8, 16 days; a lapse goes back to box
// 1; due dates are calendar days; drilling order; reset; storage parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const D = require('../../themes/default/static/drill-schedule.js');

test('a new card is due at once and each "remembered" moves it a box up', () => {
  const today = 20000;
  assert.equal(D.isDue(undefined, today), true);
  let s = D.grade(undefined, true, today);
  assert.deepEqual(s, { box: 1, due: today + 1, reviews: 1, lapses: 0 });
  const expected = [[2, 2], [3, 4], [4, 8], [5, 16], [5, 16]];
  for (const [box, days] of expected) {
    s = D.grade(s, true, today);
    assert.equal(s.box, box);
    assert.equal(s.due, today + days);
  }
  assert.equal(s.reviews, 6);
  assert.equal(D.isDue(s, today + 15), false);
  assert.equal(D.isDue(s, today + 16), true);
});

test('"forgot" puts the card back in box 1, due tomorrow, and counts the lapse', () => {
  const s = D.grade({ box: 4, due: 10, reviews: 5, lapses: 0 }, false, 12);
  assert.deepEqual(s, { box: 1, due: 13, reviews: 6, lapses: 1 });
  assert.equal(D.isDue(s, 12), false);
  assert.equal(D.isDue(s, 13), true);
});

test('days are calendar days of the local clock', () => {
  // 23:30 and 00:30 the next day, at UTC+8 (offset -480 minutes), are two days.
  const late = Date.UTC(2026, 11, 3, 15, 30);
  const early = Date.UTC(2026, 11, 3, 16, 30);
  assert.equal(D.dayOf(early, -480) - D.dayOf(late, -480), 1);
  assert.equal(D.dayOf(early, 0), D.dayOf(late, 0));
});

test('due cards in order: most overdue first, then lower boxes, then new cards in course order', () => {
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const schedule = { b: { box: 3, due: 5 }, c: { box: 1, due: 5 }, d: { box: 2, due: 3 }, e: { box: 1, due: 99 } };
  assert.deepEqual(D.dueKeys(keys, schedule, 10), ['d', 'c', 'b', 'a']);
  assert.equal(D.countDue(keys, schedule, 10), 4);
  assert.equal(D.nextDue(keys, schedule, 10), 99);
  assert.equal(D.nextDue(['a'], schedule, 10), null);
});

test('reset forgets only the given cards', () => {
  const schedule = { a: { box: 2, due: 1 }, b: { box: 3, due: 2 } };
  assert.deepEqual(D.reset(schedule, ['a']), { b: { box: 3, due: 2 } });
  assert.deepEqual(D.reset(schedule, ['a', 'b']), {});
  assert.deepEqual(Object.keys(schedule), ['a', 'b'], 'the input is not changed');
});

test('what storage gives back is checked: malformed entries are dropped', () => {
  assert.deepEqual(D.parse('not json'), {});
  assert.deepEqual(D.parse('[1,2]'), {});
  assert.deepEqual(D.parse(JSON.stringify({ a: { box: 2, due: 7, reviews: 3 }, b: { box: 9, due: 1 }, c: { box: 1 }, d: null })), { a: { box: 2, due: 7, reviews: 3, lapses: 0 } });
  assert.equal(D.storageKey('客户服务实务'), 'lectern:客户服务实务:drill');
});
