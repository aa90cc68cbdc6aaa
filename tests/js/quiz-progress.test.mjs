// The progress store (themes/default/static/progress.js): best/last scores, the
// 错题本 rule (in when wrong, out after two right answers in a row), reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const P = require('../../themes/default/static/progress.js');

test('a wrong answer enters the notebook; two right answers in a row take it out', () => {
  const p = P.emptyProgress();
  assert.equal(P.applyResult(p, 'q1', 'bank-a', false, 1), 'added');
  assert.ok(p.notebook.q1);
  assert.equal(P.applyResult(p, 'q1', 'bank-a', true, 2), 'kept');
  assert.equal(P.applyResult(p, 'q1', 'bank-a', false, 3), 'kept');
  assert.equal(p.notebook.q1.streak, 0);
  assert.equal(p.notebook.q1.wrong, 2);
  assert.equal(P.applyResult(p, 'q1', 'bank-a', true, 4), 'kept');
  assert.equal(P.applyResult(p, 'q1', 'bank-a', true, 5), 'removed');
  assert.equal(p.notebook.q1, undefined);
  assert.equal(P.applyResult(p, 'q2', 'bank-a', true, 6), null);
  assert.deepEqual(p.questions.q1, { bank: 'bank-a', right: 3, wrong: 2, last: 'right', at: 5 });
});

test('attempts keep the best and the last score', () => {
  const p = P.emptyProgress();
  P.applyAttempt(p, 'bank-a', { title: 'A', url: 'quizzes/a.html', kind: 'bank', percent: 70, score: 7, max: 10 }, 1);
  P.applyAttempt(p, 'bank-a', { title: 'A', url: 'quizzes/a.html', kind: 'bank', percent: 40, score: 4, max: 10 }, 2);
  assert.equal(p.pages['bank-a'].best, 70);
  assert.equal(p.pages['bank-a'].last, 40);
  assert.equal(p.pages['bank-a'].attempts, 2);
  P.applyResult(p, 'q1', 'bank-a', true, 3);
  P.applyResult(p, 'q2', 'bank-a', false, 3);
  P.applyResult(p, 'q3', 'bank-b', true, 3);
  assert.deepEqual(P.bankSummary(p, 'bank-a'), { tried: 2, right: 1, best: 70, last: 40, attempts: 2 });
  assert.deepEqual(P.bankSummary(p, 'none'), { tried: 0, right: 0, best: null, last: null, attempts: 0 });
});

test('the store persists through its storage and namespaces by course', () => {
  const storage = P.memoryStorage();
  const a = P.createStore(storage, 'course-a');
  const b = P.createStore(storage, 'course-b');
  a.recordResult('q1', 'bank', false);
  a.savePageState('bank', { responses: { q1: 2 } });
  assert.deepEqual(Object.keys(P.createStore(storage, 'course-a').notebook()), ['q1']);
  assert.deepEqual(P.createStore(storage, 'course-a').pageState('bank'), { responses: { q1: 2 } });
  assert.deepEqual(b.notebook(), {});
  b.recordResult('x', 'bank', false);
  a.reset();
  assert.deepEqual(a.notebook(), {});
  assert.equal(a.pageState('bank'), null);
  assert.deepEqual(Object.keys(b.notebook()), ['x'], 'reset of one course leaves the other');
});

test('broken or unavailable storage never breaks the page', () => {
  const throwing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() {}, key() { return null; }, length: 0 };
  const s = P.createStore(throwing, 'c');
  s.recordResult('q', 'b', false);
  assert.deepEqual(Object.keys(s.notebook()), ['q'], 'falls back to memory');
  const garbage = P.memoryStorage();
  garbage.setItem('lectern:c:progress', '{not json');
  assert.deepEqual(P.createStore(garbage, 'c').notebook(), {});
});

test('a confirmed free answer corrects the last attempt instead of adding one', () => {
  const p = P.emptyProgress();
  P.applyAttempt(p, 'e', { title: 'E', url: 'exams/e.html', kind: 'exam', percent: 50, score: 5, max: 10 }, 1);
  P.applyAttempt(p, 'e', { title: 'E', url: 'exams/e.html', kind: 'exam', percent: 80, score: 8, max: 10, replace: true }, 2);
  assert.equal(p.pages.e.attempts, 1);
  assert.equal(p.pages.e.last, 80);
  assert.equal(p.pages.e.best, 80);
});
