// Unit tests of the browser search engine (themes/default/static/search-engine.js)
// in Node: that it reads text exactly as the Rust indexer does, decodes the
// index format, and builds snippets that are escaped and highlighted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const E = require('../../themes/default/static/search-engine.js');
// The ranking constants as an index's meta.js carries them (scoring.rs).
const scoring = { k1: 1.2, b: 0.75, title_lead: 6, title_other: 2, heading: 5, body: 1, verbatim: 1.5, prefix: 0.8, inner: 0.6, max_expansions: 128, kinds: [1, 0.9, 0.75, 0.5], title_match: 2, heading_match: 1.5 };
const cases = JSON.parse(readFileSync(fileURLToPath(new URL('../search_tokenizer_cases.json', import.meta.url)), 'utf8'));

// Proves folding, tokens and query parsing equal the Rust side's, case by case
// (the expectations were written by the Rust test golden_tokenizer_cases).
test('golden cases: folding, tokens and queries match the Rust tokenizer', () => {
  for (const c of cases) {
    assert.equal(E.foldString(c.text), c.folded, `fold ${JSON.stringify(c.text)}`);
    const tokens = E.tokenize(E.fold(c.text)).tokens.map((t) => [t.term, t.kind, t.pos, t.start, t.end]);
    assert.deepEqual(tokens, c.tokens, `tokens ${JSON.stringify(c.text)}`);
    const query = E.parseQuery(c.text).phrases.map((p) => ({
      units: p.tokens.map((t) => [t.unit.kind, t.unit.text, t.unit.kind === 'word' ? t.unit.mode : null, t.offset, t.width]),
      span: p.span,
    }));
    assert.deepEqual(query, c.query, `query ${JSON.stringify(c.text)}`);
  }
});

// Proves the spans of folded characters point back into the original UTF-16 text.
test('folded characters know where they came from', () => {
  const f = E.fold('Ａ①ﬁ𠮷');
  assert.deepEqual(f.chars, ['a', '1', 'f', 'i', '𠮷']);
  assert.deepEqual(f.starts, [0, 1, 2, 2, 3]);
  assert.deepEqual(f.ends, [1, 2, 3, 3, 5]);
});

// Proves the shard hash equals the Rust one (format.rs term_hash test values).
test('term hash is FNV-1a over code points, as in Rust', () => {
  assert.equal(E.termHash(''), 0x811c9dc5);
  assert.equal(E.termHash('a'), 0xe40c292c);
  assert.equal(E.shardOf('客户', 1), 0);
});

// Proves postings and shard entries decode: gaps of sections and positions,
// each section's length step and lead flag, multi-character numbers.
test('postings and entries decode', () => {
  // As Rust's encode_postings writes docs 0 [0,512,513,9000] (step 45, lead),
  // 7 [256] (step 3) and 50000 [600] (step 0); see format.rs postings_round_trip.
  const alphabet = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  const enc = (n) => {
    const digits = [];
    do { digits.unshift(n % 46); n = Math.floor(n / 46); } while (n > 0);
    return digits.map((d, i) => alphabet[d + (i < digits.length - 1 ? 46 : 0)]).join('');
  };
  const s = [0, 45, 9, 0, 511, 0, 8486, 6, 3, 2, 256, 49992, 0, 2, 600].map(enc).join('');
  const p = E.decodePostings(s);
  assert.deepEqual(
    p.map((x) => [x.doc, x.step, x.lead, Array.from(x.positions)]),
    [[0, 45, true, [0, 512, 513, 9000]], [7, 3, false, [256]], [50000, 0, false, [600]]],
  );
  assert.throws(() => E.decodePostings(s.slice(0, -1) + '\\'));
  const entry = E.decodeEntry(enc(90000) + enc(4001) + s);
  assert.equal(entry.df, 90000);
  assert.equal(entry.tail, 4000);
  assert.equal(entry.head.length, 3);
  assert.equal(E.decodeEntry(enc(3) + enc(0) + s).tail, -1);
  assert.equal(E.stepLength(0), 0);
});

// Proves a partial word expands like the Rust engine: exact first, then prefix, then inner.
test('partial words expand to index words, best first', () => {
  const words = ['custom', 'customer', 'customers', 'noncustomer', 'service'];
  assert.deepEqual(E.expand('custom', 'prefix', words, scoring).terms, [['custom', 1], ['customer', 0.8], ['customers', 0.8]]);
  assert.deepEqual(E.expand('ustom', 'infix', words, scoring).terms.map((t) => t[0]), ['custom', 'customer', 'customers', 'noncustomer']);
  assert.deepEqual(E.expand('customer', 'suffix', words, scoring).terms, [['customer', 1], ['noncustomer', 0.6]]);
  assert.deepEqual(E.expand('service', 'exact', [], scoring).terms, [['service', 1]]);
  // The weights are the index's, not the engine's own.
  assert.deepEqual(E.expand('custom', 'prefix', words, { ...scoring, prefix: 0.5 }).terms[1], ['customer', 0.5]);
});

// Proves a quoted (exact) word highlights only itself on the opened page,
// not every word of it.
test('an exact word highlights only its own occurrences', () => {
  const text = 'the service and the desk';
  const ranges = E.queryRanges(text, E.parseQuery('"service"'));
  assert.deepEqual(ranges.map(([a, b]) => text.slice(a, b)), ['service']);
});

// Proves snippets are escaped, highlight what matched, and centre on the matches.
test('snippets escape everything and mark the matches', () => {
  const text = '<b>客户</b> & “客户服务”';
  const query = E.parseQuery('客户服务');
  const ranges = E.queryRanges(text, query);
  assert.equal(E.markHtml(text, ranges, 0, text.length), '&lt;b&gt;客户&lt;/b&gt; &amp; “<mark>客户服务</mark>”');
  const long = '前言。'.repeat(100) + '投诉处理的六个步骤' + '后记。'.repeat(100);
  const html = E.snippet(long, E.queryRanges(long, E.parseQuery('投诉处理')), 60);
  assert.match(html, /^….*<mark>投诉处理<\/mark>的六个步骤.*…$/);
  assert.ok(html.replace(/<\/?mark>/g, '').length <= 62);
});

// Proves highlighting on the opened page needs the whole phrase: scattered characters stay unmarked.
test('page highlighting marks whole phrases only', () => {
  const text = '客人和户主不是客户。Customer service, customers.';
  const ranges = E.queryRanges(text, E.parseQuery('客户'));
  assert.deepEqual(ranges.map(([s, e]) => text.slice(s, e)), ['客户']);
  const en = E.queryRanges(text, E.parseQuery('custom'));
  assert.deepEqual(en.map(([s, e]) => text.slice(s, e)), ['Customer', 'customers']);
});

// Proves match positions map back to the original text, across full-width letters.
test('match ranges map positions back to the original text', () => {
  const text = '使用ＣＲＭ系统';
  // positions: 使0 用1 crm2 系3 统4 ; highlight "crm" and the pair 系统.
  const ranges = E.matchRanges(text, [[102, 1], [103, 2]], 100);
  assert.deepEqual(ranges.map(([s, e]) => text.slice(s, e)), ['ＣＲＭ系统']);
});

// Proves snippets' match ranges, which read a section only up to its last
// match and build no tokens, land where tokenize(fold(text)) puts each
// position, across scripts, combining marks, full-width forms, ligatures and
// surrogate pairs, whichever positions are asked for and however many.
test("match ranges equal the tokenizer's positions, read only as far as needed", () => {
  const texts = [
    '使用ＣＲＭ系统，提升客户满意度。Customer-first: ﬁnal café résumé 𠀀𠀁 naïve ﾊﾟﾝ e\u0301t\u0301e\u0301',
    '  schema migration; Schema_Migration2 migration-schema 数据库迁移 αβγ ΣΊΣΥΦΟΣ 한국어 テスト 123 ④ Ⅻ',
    '\n余先生入住饭店。\n\n  问题？\n个性化服务：记住客人的姓名 ㍿ ㈱ ＡＢＣ１２３ x',
  ];
  for (const text of texts) {
    const folded = E.fold(text);
    const positions = E.tokenize(folded).tokens.filter((t) => t.kind === 'char' || t.kind === 'word');
    const want = (p) => [folded.starts[positions[p].start], folded.ends[positions[p].end - 1]];
    const n = positions.length;
    for (let last = 0; last < n; last++) {
      for (const width of [1, 2, 3]) {
        const base = 7;
        const matches = [[base + last, width], [base, 1], [base + Math.floor(last / 2), 2]];
        const expected = [];
        for (const [p, w] of matches) for (let k = 0; k < w; k++) if (p - base + k < n) expected.push(want(p - base + k));
        assert.deepEqual(E.matchRanges(text, matches, base), E.mergeRanges(expected), `${JSON.stringify(text)} at ${last}+${width}`);
      }
    }
    // Positions before the field's base or past the text mark nothing.
    assert.deepEqual(E.matchRanges(text, [[2, 3], [7 + n + 5, 1]], 7), []);
    assert.deepEqual(E.matchRanges(text, [], 0), []);
  }
});

// Proves highlights stay on the matched text when the text has runs of white space
// (snippets show them as one space, after the ranges are computed).
test('snippets keep highlights aligned across collapsed white space', () => {
  const text = '\n余先生入住饭店。\n\n  问题？\n个性化服务：记住客人的姓名';
  const html = E.snippet(text, E.queryRanges(text, E.parseQuery('个性化服务')), 200);
  assert.equal(html, '余先生入住饭店。 问题？ <mark>个性化服务</mark>：记住客人的姓名');
});

// Proves the head-only shortcut for a partial word's expansions is taken only
// when the heads settle the first results: the best section must have every
// term's weight known and beat anything a tail could hold.
test('heads suffice only when they settle the first results', () => {
  // Four one-section teaching pages ('&' is 1 × 4 + 0 in the codec).
  const meta = { docs: 4, pages: '&&&&', avg_body: 10, bases: [0, 256, 512], head: 2, scoring };
  const posting = (doc, positions, lead) => ({ doc, step: 0, lead, positions: Int32Array.from(positions) });
  const entries = {
    // In a title (weight 6) and a body (weight 4); more sections in its tail.
    word: { df: 9, tail: 0, head: [posting(1, [0], true), posting(2, [512], false)] },
    // Complete: no tail.
    words: { df: 1, tail: -1, head: [posting(1, [512], false)] },
  };
  const entryOf = (t) => entries[t] || null;
  const terms = [['word', 1], ['words', 0.8]];
  assert.equal(E.headsSuffice(meta, terms, entryOf, 1), true);
  // The second best (a body match) is below what a tail section could score
  // with a title bonus.
  assert.equal(E.headsSuffice(meta, terms, entryOf, 2), false);
  // More results than the heads hold.
  assert.equal(E.headsSuffice(meta, terms, entryOf, 3), false);
  // The best section's weight for a term with a tail is unknown.
  entries.words = { df: 9, tail: 1, head: [posting(3, [0], true)] };
  assert.equal(E.headsSuffice(meta, [['words', 1], ['word', 1]], entryOf, 1), false);
});

// Proves the page table groups hits by page, best section first, and that
// synonyms make variants of a query (engine.rs group_pages, synonym_variants).
test('results group by page and synonyms make variants', () => {
  // Pages: 2 teaching sections ('*' = 2 × 4 + 0), one case ('\'' = 1 × 4 + 1), 3 quiz questions ('1' = 3 × 4 + 3).
  const meta = { docs: 6, pages: "*'1", scoring };
  const t = E.pages(meta);
  assert.deepEqual(Array.from(t.page), [0, 0, 1, 2, 2, 2]);
  assert.deepEqual(Array.from(t.cls), [0, 0, 1, 3, 3, 3]);
  const hits = [5, 1, 2, 0, 4, 3].map((doc, k) => ({ doc, score: 10 - k }));
  const g = E.groupPages(meta, hits, 2);
  assert.deepEqual(g.pages.map((p) => [p.page, p.hits.map((h) => h.doc)]), [[2, [5, 4]], [0, [1, 0]], [1, [2]]]);
  assert.equal(g.count, 3);
  assert.deepEqual(E.groupPages(meta, hits, 3, (c) => c === 3).pages.map((p) => p.page), [2]);
  // A limit builds the first pages' groups (with all their hits) and counts the rest.
  const first = E.groupPages(meta, hits, 2, null, 1);
  assert.deepEqual(first.pages.map((p) => [p.page, p.hits.map((h) => h.doc)]), [[2, [5, 4]]]);
  assert.deepEqual([first.count, first.sections], [3, 6]);
  const two = E.groupPages(meta, hits, 3, null, 2);
  assert.deepEqual(two.pages.map((p) => [p.page, p.hits.map((h) => h.doc)]), [[2, [5, 4, 3]], [0, [1, 0]]]);
  assert.deepEqual([two.count, two.sections], [3, 6]);
  const quiz = E.groupPages(meta, hits, 3, (c) => c !== 3, 1);
  assert.deepEqual([quiz.pages.map((p) => p.page), quiz.count, quiz.sections], [[0], 2, 3]);
  assert.deepEqual(E.synonymVariants('蛋塔怎么夹', [['蛋挞', '蛋塔'], ['x', 'y']]), ['蛋挞怎么夹']);
  assert.deepEqual(E.synonymVariants('投诉', [['抱怨', '投诉', '申诉']]), ['抱怨', '申诉']);
  // Traditional characters fold once their pairs are known.
  E.addFoldPairs('顧顾滿满');
  assert.equal(E.foldString('顧客滿意度'), '顾客满意度');
});
