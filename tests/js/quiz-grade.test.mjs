// The pure grading functions of the quiz runtime (themes/default/static/grade.js):
// every question type, partial credit, normalisation and key-point matching on Chinese answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const G = require('../../themes/default/static/grade.js');

const single = { id: 's', type: 'single', points: 2, answer: 2, options: 4, pinned: [] };
const multiple = (scoring) => ({ id: 'm', type: 'multiple', points: 4, answer: [0, 1, 2, 3], options: 5, scoring });

test('single: right, wrong and blank', () => {
  assert.deepEqual(G.grade(single, 2), { score: 2, max: 2, status: 'right' });
  assert.equal(G.grade(single, 0).score, 0);
  assert.equal(G.grade(single, 0).status, 'wrong');
  assert.equal(G.grade(single, null).status, 'blank');
});

test('multiple, all_or_nothing: only the exact set scores', () => {
  const q = multiple('all_or_nothing');
  assert.equal(G.grade(q, [3, 2, 1, 0]).score, 4);
  assert.equal(G.grade(q, [0, 1, 2]).score, 0);
  assert.equal(G.grade(q, [0, 1, 2, 3, 4]).score, 0);
  assert.equal(G.grade(q, []).status, 'blank');
});

test('multiple, per_option: each right pick earns its share, a wrong pick zeroes', () => {
  const q = multiple('per_option');
  assert.equal(G.grade(q, [0, 1, 2]).score, 3);
  assert.equal(G.grade(q, [0]).score, 1);
  assert.equal(G.grade(q, [0]).status, 'partial');
  assert.equal(G.grade(q, [0, 1, 4]).score, 0);
  assert.equal(G.grade(q, [0, 1, 2, 3]).status, 'right');
});

test('multiple, partial: 少选得一半, 错选不得分', () => {
  const q = multiple('partial');
  assert.equal(G.grade(q, [0, 1, 2, 3]).score, 4);
  assert.equal(G.grade(q, [0, 1]).score, 2);
  assert.equal(G.grade(q, [2]).score, 2);
  assert.equal(G.grade(q, [0, 4]).score, 0);
  const r = G.grade(q, [0, 4]);
  assert.deepEqual(r.wrongPicks, [4]);
  assert.deepEqual(r.missed, [1, 2, 3]);
});

test('true_false', () => {
  const q = { type: 'true_false', points: 1, answer: false };
  assert.equal(G.grade(q, false).status, 'right');
  assert.equal(G.grade(q, true).status, 'wrong');
  assert.equal(G.grade(q, null).status, 'blank');
});

test('normalisation: full and half width, case, spaces, punctuation', () => {
  assert.equal(G.normalize('ＡＢＣ １２３'), 'abc123');
  assert.equal(G.normalize(' Customer  Service. '), 'customerservice');
  assert.equal(G.normalize('优质服务型。'), '优质服务型');
  assert.equal(G.normalize('“按部就班型”'), '按部就班型');
  assert.equal(G.normalize('（超值服务）'), '超值服务');
  assert.equal(G.normalize('\u3000热情\u3000友好'), '热情友好');
});

test('fill: accepted answers per blank, normalised, points shared by blanks', () => {
  const q = { type: 'fill', points: 2, answer: [['按部就班型'], ['优质服务型', '优质服务']], anyOrder: false };
  assert.equal(G.grade(q, ['按部就班型', '优质服务']).status, 'right');
  assert.equal(G.grade(q, [' 按部就班型。', '优质服务型 ']).score, 2);
  const half = G.grade(q, ['按部就班', '优质服务型']);
  assert.equal(half.score, 1);
  assert.equal(half.status, 'partial');
  assert.deepEqual(half.blanks, [false, true]);
  assert.equal(G.grade(q, ['', '  ']).status, 'blank');
  const latin = { type: 'fill', points: 1, answer: [['CRM']] };
  assert.equal(G.grade(latin, ['ｃｒｍ']).status, 'right');
});

test('fill in any order finds the assignment that works', () => {
  const q = { type: 'fill', points: 3, answer: [['硬服务', '软服务'], ['硬服务'], ['价值服务']], anyOrder: true };
  assert.equal(G.grade(q, ['硬服务', '软服务', '价值服务']).score, 3);
  assert.equal(G.grade(q, ['价值服务', '软服务', '硬服务']).score, 3);
  const distinct = { ...q, answer: [['硬服务'], ['软服务'], ['价值服务']] };
  assert.equal(G.grade(distinct, ['硬服务', '硬服务', '价值服务']).score, 2);
  const ordered = { ...q, anyOrder: false };
  assert.equal(G.grade(ordered, ['价值服务', '软服务', '硬服务']).score, 0);
});

const challenges = {
  keyPoints: [
    { text: '对客户表示热情、尊重和关注', synonyms: ['热情', '尊重'], weight: 1 },
    { text: '帮助客户解决问题', synonyms: [], weight: 1 },
    { text: '迅速响应客户需求', synonyms: [], weight: 1 },
    { text: '以客户为中心', synonyms: [], weight: 1 },
    { text: '设身处地为客户着想', synonyms: [], weight: 1 },
  ],
  full: 5,
};
const shortQ = { type: 'short', points: 5, rubric: challenges };

test('key points: a good Chinese answer covers every point', () => {
  const answer = '首先要对客户热情，尊重并关注客户；其次要真正帮客户解决问题；'
    + '对客户的需求做出快速响应；始终坚持以客户为中心；还要学会设身处地地为客户着想。';
  const r = G.grade(shortQ, { text: answer });
  assert.deepEqual(r.suggested, [true, true, true, true, true], JSON.stringify(r.matches));
  assert.equal(r.score, 5);
  assert.equal(r.status, 'right');
});

test('key points: a partial answer covers some points and gets a proportional score', () => {
  const r = G.grade(shortQ, { text: '服务时态度要热情，另外一定要帮助客户把问题解决掉。' });
  assert.deepEqual(r.suggested, [true, true, false, false, false], JSON.stringify(r.matches));
  assert.equal(r.score, 2);
  assert.equal(r.status, 'partial');
});

test('key points: an off-topic answer covers nothing', () => {
  const r = G.grade(shortQ, { text: '我认为企业应该努力降低成本，提高产品的技术含量，扩大市场份额。' });
  assert.deepEqual(r.suggested, [false, false, false, false, false], JSON.stringify(r.matches));
  assert.equal(r.score, 0);
  assert.equal(r.status, 'wrong');
});

test('key points: the learner confirms or corrects, and that score is kept', () => {
  const r = G.grade(shortQ, { text: '热情服务', confirmed: [true, false, true, false, false] });
  assert.equal(r.confirmed, true);
  assert.equal(r.score, 2);
  assert.equal(r.suggestedScore, 1);
  assert.equal(G.grade(shortQ, { text: '', confirmed: null }).status, 'blank');
});

test('key points: the cap gives full marks for any 4 of 5 points, weights count', () => {
  const capped = { type: 'short', points: 8, rubric: { ...challenges, full: 4 } };
  assert.equal(G.grade(capped, { text: 'x', confirmed: [true, true, true, true, false] }).score, 8);
  assert.equal(G.grade(capped, { text: 'x', confirmed: [true, true, true, true, true] }).score, 8);
  assert.equal(G.grade(capped, { text: 'x', confirmed: [true, false, false, false, false] }).score, 2);
  const weighted = { type: 'short', points: 6, rubric: { keyPoints: [{ text: '甲', weight: 2 }, { text: '乙', weight: 1 }], full: 3 } };
  assert.equal(G.grade(weighted, { text: 'x', confirmed: [true, false] }).score, 4);
});

test('key points: English answers match by words', () => {
  const q = { type: 'short', points: 2, rubric: { keyPoints: [{ text: 'respond quickly to customer needs', weight: 1 }, { text: 'put the customer at the centre', weight: 1 }], full: 2 } };
  const r = G.grade(q, { text: 'We should respond very quickly to the needs of every customer.' });
  assert.deepEqual(r.suggested, [true, false], JSON.stringify(r.matches));
});

test('case: sub-questions are graded separately and summed', () => {
  const q = {
    type: 'case', points: 10,
    parts: [
      { points: 5, rubric: { keyPoints: [{ text: '个性化服务', weight: 1 }, { text: '超出客人想象的服务', weight: 1 }], full: 2 } },
      { points: 5, rubric: { keyPoints: [{ text: '用优质服务赢得忠诚客户', weight: 1 }], full: 1 } },
    ],
  };
  const r = G.grade(q, { parts: [{ text: '饭店提供个性化服务，记住每位客人的喜好。' }, { text: '' }] });
  assert.equal(r.parts[0].score, 2.5);
  assert.equal(r.parts[1].status, 'blank');
  assert.equal(r.score, 2.5);
  assert.equal(r.max, 10);
  assert.equal(r.status, 'partial');
  assert.equal(G.grade(q, { parts: [] }).status, 'blank');
});

test('summary: total, percentage and pass mark', () => {
  const s = G.summarize([{ score: 2, max: 2, status: 'right' }, { score: 1, max: 4, status: 'partial' }, { score: 0, max: 4, status: 'blank' }], 60);
  assert.deepEqual(s, { score: 3, max: 10, percent: 30, passed: false, right: 1, answered: 2, count: 3 });
  assert.equal(G.summarize([{ score: 6, max: 10, status: 'partial' }], 60).passed, true);
});

test('shuffle keeps pinned options in place and is a permutation', () => {
  let seed = 1;
  const random = () => { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; };
  for (let i = 0; i < 50; i++) {
    const order = G.shuffleOrder(5, [4], random);
    assert.equal(order[4], 4);
    assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
  }
});

test('unknown types are a programming error, not a silent zero', () => {
  assert.throws(() => G.grade({ type: 'essay' }, null));
});
