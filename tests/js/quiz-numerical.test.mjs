// 计算题 (numerical questions) in the quiz runtime (themes/default/static/grade.js):
// how a typed number is read, tolerances, ranges and weighted answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const G = require('../../themes/default/static/grade.js');

// The grading data the build writes: each accepted interval with its share.
const exact = { id: 'n1', type: 'numerical', points: 2, answer: [{ min: 4, max: 4, weight: 1 }] };
const tolerance = { id: 'n2', type: 'numerical', points: 3, answer: [{ min: 1817, max: 1827, weight: 1 }] };
const weighted = {
  id: 'n3', type: 'numerical', points: 4,
  answer: [{ min: 6, max: 6, weight: 1 }, { min: 5, max: 5, weight: 0.5 }, { min: 0, max: 10, weight: 0.25 }]
};
const decimals = { id: 'n4', type: 'numerical', points: 1, answer: [{ min: 3.141, max: 3.142, weight: 1 }] };

test('numbers are read as people type them', () => {
  assert.equal(G.parseNumber(' 42 '), 42);
  assert.equal(G.parseNumber('４２'), 42, 'full-width digits');
  assert.equal(G.parseNumber('−3.5'), -3.5, 'a minus sign');
  assert.equal(G.parseNumber('+0.25'), 0.25);
  assert.equal(G.parseNumber('3,5'), 3.5, 'a decimal comma');
  assert.equal(G.parseNumber('1,234,567.5'), 1234567.5, 'thousands separators');
  assert.equal(G.parseNumber('1e3'), 1000);
  assert.equal(G.parseNumber('.5'), 0.5);
  assert.equal(G.parseNumber(''), null);
  assert.equal(G.parseNumber('   '), null);
  assert.ok(Number.isNaN(G.parseNumber('four')));
  assert.ok(Number.isNaN(G.parseNumber('1..2')));
  assert.ok(Number.isNaN(G.parseNumber('0x10')));
});

test('an exact value: right, wrong, blank, and text that is not a number', () => {
  assert.deepEqual(G.grade(exact, '4'), { score: 2, max: 2, status: 'right', value: 4, unreadable: false });
  assert.equal(G.grade(exact, '4.0').status, 'right');
  assert.equal(G.grade(exact, '4.01').status, 'wrong');
  assert.equal(G.grade(exact, '').status, 'blank');
  const text = G.grade(exact, 'four');
  assert.equal(text.status, 'wrong');
  assert.equal(text.unreadable, true);
});

test('a tolerance accepts the whole interval, bounds included', () => {
  assert.equal(G.grade(tolerance, '1822').score, 3);
  assert.equal(G.grade(tolerance, '1817').score, 3);
  assert.equal(G.grade(tolerance, '1827').score, 3);
  assert.equal(G.grade(tolerance, '1816.9').score, 0);
  assert.equal(G.grade(tolerance, '1827.1').status, 'wrong');
});

test('a range with decimals keeps its bounds despite binary rounding', () => {
  assert.equal(G.grade(decimals, '3.141').status, 'right');
  assert.equal(G.grade(decimals, '3.1415').status, 'right');
  assert.equal(G.grade(decimals, '3.142').status, 'right');
  assert.equal(G.grade(decimals, '3.1405').status, 'wrong');
});

test('several weighted answers: the best share that holds the number counts', () => {
  assert.equal(G.grade(weighted, '6').score, 4);
  const half = G.grade(weighted, '5');
  assert.equal(half.score, 2);
  assert.equal(half.status, 'partial');
  assert.equal(G.grade(weighted, '7').score, 1);
  assert.equal(G.grade(weighted, '11').score, 0);
});
