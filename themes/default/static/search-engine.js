/* lectern search engine: folding, tokenizing, query parsing, index decoding,
 * matching and ranking, snippets. Pure functions, no DOM: search.js drives it
 * in the browser, the tests drive it in Node.
 *
 * This file mirrors src/search/ (fold.rs, tokenizer.rs, query.rs, codec.rs,
 * format.rs, engine.rs). Index and query must be read alike or Chinese search
 * silently misses, so any change here goes there too; the shared golden cases
 * (tests/search_tokenizer_cases.json) and tests/search_js_agreement.rs check
 * that both give the same tokens and the same results. */
(function (root) {
  'use strict';

  // ---- folding (fold.rs) ---------------------------------------------------

  /* Traditional → Simplified characters (fold.rs to_simplified), as much of
   * the table as the indexes loaded so far need (their fold-0.js): a pair is
   * the same in every index, so tables of several merge. */
  var SIMPLIFIED = new Map();
  function simplify(ch) {
    return SIMPLIFIED.size ? SIMPLIFIED.get(ch) || ch : ch;
  }
  /* Adds pairs from a fold-0.js payload: "TSTS…", character after character. */
  function addFoldPairs(pairs) {
    var chars = Array.from(pairs || '');
    for (var k = 0; k + 1 < chars.length; k += 2) SIMPLIFIED.set(chars[k], chars[k + 1]);
  }

  var MARK = /\p{M}/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /\p{White_Space}/u;

  /* Folds text segment by segment (a character and its combining marks), so
   * every folded character knows the range [start, end) of original UTF-16
   * code units it came from. Returns {chars: [string], starts: [], ends: []}. */
  function fold(text) {
    var chars = [], starts = [], ends = [];
    function push(ch, start, end) { chars.push(ch); starts.push(start); ends.push(end); }
    for (var i = 0, n = text.length; i < n;) i = foldStep(text, i, n, push);
    return { chars: chars, starts: starts, ends: ends };
  }

  /* Folds the segment of `text` at `i` (a character and its combining
   * marks): emit(folded character, start, end) for each character it folds
   * to, [start, end) being the segment's UTF-16 range. Returns where the
   * next segment starts. fold() and positionRanges() share it, so snippets
   * read text exactly as queries and the index do. */
  function foldStep(text, i, n, emit) {
    var start = i;
    var cp = text.codePointAt(i);
    i += cp > 0xffff ? 2 : 1;
    // Fast paths: NFKC and lower case leave ASCII (bar A–Z) and the unified
    // ideographs U+4E00–U+9FFF alone, so unless a joining character follows
    // (no combining mark lives below U+0300 or among the ideographs; U+3099/
    // U+309A are the kana voicing marks, U+FF9E/U+FF9F their half-width
    // forms) the character folds to itself. Chinese text
    // is almost all such characters: this makes snippets several times faster.
    if (cp < 0x80 || (cp >= 0x4e00 && cp <= 0x9fff)) {
      var next = i < n ? text.charCodeAt(i) : 0;
      if (next < 0x300 || (next >= 0x4e00 && next <= 0x9fff) || (next >= 0x3000 && next <= 0x3098) ||
          (next >= 0xff00 && next <= 0xff9d) || (next >= 0xffa0 && next <= 0xffef)) {
        emit(cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : cp < 0x80 ? String.fromCharCode(cp) : simplify(text.charAt(start)), start, i);
        return i;
      }
    }
    while (i < n) {
      var after = text.codePointAt(i);
      var ch = String.fromCodePoint(after);
      // As fold.rs joins_previous: marks, and ﾞ ﾟ which NFKC makes combining.
      if (after !== 0xff9e && after !== 0xff9f && !MARK.test(ch)) break;
      i += ch.length;
    }
    var segment = text.slice(start, i).normalize('NFKC');
    for (var c of segment) {
      for (var lower of c.toLowerCase()) emit(lower === 'ς' ? 'σ' : simplify(lower), start, i);
    }
    return i;
  }

  function foldString(text) {
    return fold(text).chars.join('');
  }

  // ---- tokenizer (tokenizer.rs) --------------------------------------------

  var CJK_RANGES = [
    [0x1100, 0x11ff], [0x2e80, 0x2fdf], [0x3005, 0x3007], [0x3021, 0x3029],
    [0x3038, 0x303c], [0x3041, 0x3096], [0x309d, 0x309f], [0x30a1, 0x30fa],
    [0x30fc, 0x30ff], [0x3105, 0x312f], [0x3131, 0x318e], [0x31a0, 0x31bf],
    [0x31f0, 0x31ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa960, 0xa97f],
    [0xac00, 0xd7ff], [0xf900, 0xfaff], [0xff66, 0xff9f], [0x20000, 0x323af]
  ];

  function isCjk(ch) {
    var c = ch.codePointAt(0);
    for (var k = 0; k < CJK_RANGES.length; k++) {
      if (c >= CJK_RANGES[k][0] && c <= CJK_RANGES[k][1]) return true;
    }
    return false;
  }

  var CJK = 0, WORDCLASS = 1, SEP = 2;
  function charClass(ch) {
    var c = ch.codePointAt(0);
    // Fast paths (the ranges below hold no ASCII): ASCII and the unified ideographs.
    if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? WORDCLASS : SEP;
    if (c >= 0x4e00 && c <= 0x9fff) return CJK;
    if (isCjk(ch)) return CJK;
    return WORD.test(ch) ? WORDCLASS : SEP;
  }

  /* Tokens of folded text: {term, kind: 'char'|'pair'|'tri'|'word', pos, start, end}
   * with start/end indexes into folded.chars. Returns {tokens, length}. */
  function tokenize(folded) {
    var chars = folded.chars, tokens = [], pos = 0, i = 0, n = chars.length;
    var classes = chars.map(charClass);
    while (i < n) {
      var cls = classes[i];
      if (cls === SEP) { i++; continue; }
      if (cls === CJK) {
        tokens.push({ term: chars[i], kind: 'char', pos: pos, start: i, end: i + 1 });
        if (i + 1 < n && classes[i + 1] === CJK) {
          tokens.push({ term: chars[i] + chars[i + 1], kind: 'pair', pos: pos, start: i, end: i + 2 });
          if (i + 2 < n && classes[i + 2] === CJK) {
            tokens.push({ term: chars[i] + chars[i + 1] + chars[i + 2], kind: 'tri', pos: pos, start: i, end: i + 3 });
          }
        }
        pos++;
        i++;
        continue;
      }
      var start = i;
      while (i < n && classes[i] === WORDCLASS) i++;
      tokens.push({ term: chars.slice(start, i).join(''), kind: 'word', pos: pos, start: start, end: i });
      pos++;
    }
    return { tokens: tokens, length: pos };
  }

  // ---- query (query.rs) ----------------------------------------------------

  /* A query: {phrases: [{tokens: [{unit, offset, width}], span}], relaxed: [unit]};
   * a unit is {kind: 'cjk', text} or {kind: 'word', text, mode: 'exact'|'prefix'|'suffix'|'infix'}.
   * CJK runs become triples (a run of two its pair); `relaxed` lists the
   * distinct units of the query read with pairs, for a relaxed search. */
  function parseQuery(query) {
    var relaxed = [], seen = {};
    parsePhrases(query, 2).forEach(function (p) {
      p.tokens.forEach(function (t) {
        var key = unitKey(t.unit);
        if (!seen[key]) { seen[key] = true; relaxed.push(t.unit); }
      });
    });
    return { phrases: parsePhrases(query, 3), relaxed: relaxed };
  }

  function parsePhrases(query, gram) {
    var chars = fold(query).chars;
    var first = -1, last = -1;
    for (var k = 0; k < chars.length; k++) {
      if (!SPACE.test(chars[k])) { if (first < 0) first = k; last = k; }
    }
    var phrases = [];
    if (first < 0) return phrases;
    var i = first;
    while (i <= last) {
      if (SPACE.test(chars[i])) { i++; continue; }
      var start = i;
      while (i <= last && !SPACE.test(chars[i])) i++;
      // Openness is judged on the untrimmed query (query.rs): a space typed
      // before or after a word says the word starts or ends there.
      var phrase = parsePhrase(chars, start, i, 0, chars.length, gram);
      if (phrase.tokens.length) phrases.push(phrase);
    }
    // A single letter matched inside words would match nearly every word.
    if (phrases.length === 1 && phrases[0].tokens.length === 1) {
      var unit = phrases[0].tokens[0].unit;
      if (unit.kind === 'word' && unit.mode === 'infix' && [...unit.text].length < 2) unit.mode = 'prefix';
    }
    return phrases;
  }

  function parsePhrase(chars, start, end, queryStart, queryEnd, gram) {
    var tokens = [], pos = 0, i = start, j;
    while (i < end) {
      var cls = charClass(chars[i]);
      if (cls === SEP) { i++; continue; }
      j = i;
      while (j < end && charClass(chars[j]) === cls) j++;
      if (cls === CJK) {
        // Overlapping grams as long as the run allows, up to `gram`.
        var width = Math.min(j - i, gram);
        for (var k = i; k <= j - width; k++) {
          tokens.push({ unit: { kind: 'cjk', text: chars.slice(k, k + width).join('') }, offset: pos + (k - i), width: width });
        }
        pos += j - i;
      } else {
        var open = (i === queryStart ? 2 : 0) + (j === queryEnd ? 1 : 0);
        var mode = ['exact', 'prefix', 'suffix', 'infix'][open];
        tokens.push({ unit: { kind: 'word', text: chars.slice(i, j).join(''), mode: mode }, offset: pos, width: 1 });
        pos++;
      }
      i = j;
    }
    return { tokens: tokens, span: pos };
  }

  function unitKey(unit) {
    return unit.kind === 'cjk' ? 'c' + unit.text : 'w' + unit.mode + '\u0000' + unit.text;
  }

  // ---- index format (codec.rs, format.rs) ----------------------------------

  var ALPHABET = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var BASE = 46;
  var DIGIT = new Int16Array(128).fill(-1);
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;
  var FORMAT_VERSION = 4;

  /* A reader of base-46 numbers from `text`, starting at `at`. */
  function decoder(text, at) {
    var n = text.length;
    return {
      more: function () { return at < n; },
      at: function () { return at; },
      next: function () {
        var v = 0;
        for (;;) {
          if (at >= n) throw new Error('lectern search: postings cut short');
          var c = text.charCodeAt(at++), x = c < 128 ? DIGIT[c] : -1;
          if (x < 0) throw new Error('lectern search: bad postings');
          if (x < BASE) return v * BASE + x;
          v = v * BASE + (x - BASE);
        }
      }
    };
  }

  /* Postings string to [{doc, step, lead, positions: Int32Array}], ascending doc. */
  function decodePostings(text, from) {
    var out = [], r = decoder(text, from || 0), doc = -1;
    while (r.more()) {
      doc += r.next() + 1;
      var step = r.next();
      if (step >= BASE) throw new Error('lectern search: bad postings');
      var nl = r.next(), count = Math.floor(nl / 2), positions = new Int32Array(count), pos = -1;
      for (var k = 0; k < count; k++) { pos += r.next() + 1; positions[k] = pos; }
      out.push({ doc: doc, step: step, lead: nl % 2 === 1, positions: positions });
    }
    return out;
  }

  /* A shard entry: {df, tail (file number or -1), head: postings}. */
  function decodeEntry(text) {
    var r = decoder(text, 0), df = r.next(), tail = r.next() - 1;
    return { df: df, tail: tail, head: decodePostings(text, r.at()) };
  }

  /* The body length a step stands for (format.rs step_length): whole, so
   * both engines compute the same scores. */
  var STEP_LENGTHS = [];
  for (var st = 0; st < BASE; st++) STEP_LENGTHS.push(Math.round(Math.exp(st / 4) - 1));
  function stepLength(step) {
    return STEP_LENGTHS[step];
  }

  function termHash(term) {
    var h = 0x811c9dc5;
    for (var c of term) {
      h ^= c.codePointAt(0);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }

  function shardOf(term, shards) {
    return termHash(term) % Math.max(1, shards);
  }

  /* The dictionary group holding every index word a partial word may stand
   * for (writer.rs word_keys): its first pair of letters, or for one letter
   * '^x' (prefix) or 'x$' (suffix). -1: every group is needed. */
  function wordGroup(word, mode, groups) {
    var chars = [...word], key;
    if (chars.length >= 2) key = chars[0] + chars[1];
    else if (mode === 'prefix') key = '^' + chars[0];
    else if (mode === 'suffix') key = chars[0] + '$';
    else return -1;
    return termHash(key) % Math.max(1, groups);
  }

  // ---- matching and ranking (engine.rs) ------------------------------------

  // The ranking constants (K1, B, field weights, bonuses) are not repeated
  // here: they come with the index, in meta.scoring (scoring.rs), as `s`.

  /* How an index word matches a query word: 'exact', 'prefix', 'inner' or ''. */
  function wordMatch(word, mode, w) {
    if (w === word) return 'exact';
    if (mode === 'exact') return '';
    if ((mode === 'prefix' || mode === 'infix') && w.startsWith(word)) return 'prefix';
    if ((mode === 'suffix' && w.endsWith(word)) || (mode === 'infix' && w.includes(word))) return 'inner';
    return '';
  }

  /* Index words a query word stands for: {terms: [[word, weight]], truncated}. */
  function expand(word, mode, words, s) {
    if (mode === 'exact') return { terms: [[word, 1]], truncated: false };
    var found = [];
    for (var i = 0; i < words.length; i++) {
      var how = wordMatch(word, mode, words[i]);
      if (!how) continue;
      found.push([how === 'exact' ? 1 : how === 'prefix' ? s.prefix : s.inner, [...words[i]].length, i]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1] || a[2] - b[2]; });
    var truncated = found.length > s.max_expansions;
    if (truncated) found.length = s.max_expansions;
    return { terms: found.map(function (f) { return [words[f[2]], f[0]]; }), truncated: truncated };
  }

  function needsWords(query) {
    return query.phrases.some(function (p) {
      return p.tokens.some(function (t) { return t.unit.kind === 'word' && t.unit.mode !== 'exact'; });
    });
  }

  /* Every distinct unit with its index terms: {units: [{unit, key, terms}], truncated}.
   * `words` is the dictionary, or a function (word, mode) -> the dictionary
   * group holding that word's candidates. */
  function unitTerms(query, words, s) {
    return planUnits(query.phrases.reduce(function (all, p) {
      return all.concat(p.tokens.map(function (t) { return t.unit; }));
    }, []), words, s);
  }

  function planUnits(list, words, s) {
    var units = [], seen = {}, truncated = false;
    list.forEach(function (unit) {
      var key = unitKey(unit);
      if (seen[key]) return;
      seen[key] = true;
      var terms;
      if (unit.kind === 'cjk') terms = [[unit.text, 1]];
      else {
        var dict = typeof words === 'function' ? words(unit.text, unit.mode) : words;
        var e = expand(unit.text, unit.mode, dict, s);
        truncated = truncated || e.truncated;
        terms = e.terms;
      }
      units.push({ unit: unit, key: key, terms: terms });
    });
    return { units: units, truncated: truncated };
  }

  /* section -> ascending occurrences of one unit, as a Map; records each
   * section's posting (its step and lead) in `norms`. Occurrence lists here
   * and below are flat, [pos, weight, pos, weight, …]: arrays of numbers are
   * several times faster to build and walk than arrays of pairs. */
  function unitPostings(terms, postingsOf, norms) {
    var map = new Map();
    terms.forEach(function (tw) {
      postingsOf(tw[0]).forEach(function (p) {
        var list = map.get(p.doc);
        if (!list) { map.set(p.doc, (list = [])); norms.set(p.doc, p); }
        for (var k = 0; k < p.positions.length; k++) list.push(p.positions[k], tw[1]);
      });
    });
    if (terms.length > 1) {
      map.forEach(function (list, doc) {
        var pairs = [];
        for (var k = 0; k < list.length; k += 2) pairs.push([list[k], list[k + 1]]);
        // Stable: equal positions keep their term order, as in Rust.
        pairs.sort(function (a, b) { return a[0] - b[0]; });
        var flat = [];
        pairs.forEach(function (pw) { flat.push(pw[0], pw[1]); });
        map.set(doc, flat);
      });
    }
    return map;
  }

  /* The index of the pair of a flat list whose position is `want`, or -1. */
  function findPos(list, want) {
    var lo = 0, hi = (list.length >> 1) - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, p = list[2 * mid];
      if (p === want) return mid;
      if (p < want) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /* section -> ascending flat [start, weight, …] occurrences of a phrase. */
  function phraseOccurrences(tokens, units) {
    // A phrase of one unit occurs where the unit does (shared, not copied).
    if (tokens.length === 1 && tokens[0].offset === 0) return units[0];
    var out = new Map();
    units[0].forEach(function (first, doc) {
      var rest = [];
      for (var u = 1; u < units.length; u++) {
        var l = units[u].get(doc);
        if (!l) return;
        rest.push(l);
      }
      var occ = [];
      starts: for (var s = 0; s < first.length; s += 2) {
        var start = first[s], weight = first[s + 1];
        for (var t = 1; t < tokens.length; t++) {
          var idx = findPos(rest[t - 1], start + tokens[t].offset);
          if (idx < 0) continue starts;
          weight *= rest[t - 1][2 * idx + 1];
        }
        occ.push(start, weight);
      }
      if (occ.length) out.set(doc, occ);
    });
    return out;
  }

  function idf(docs, df) {
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  /* Weighted frequency of occurrences (scoring.rs weighted_tf). */
  function weightedTf(occurrences, bodyNorm, lead, meta) {
    var s = meta.scoring, bases = meta.bases, tf = 0;
    for (var k = 0; k < occurrences.length; k += 2) {
      var pos = occurrences[k], w = occurrences[k + 1];
      tf += w * (pos < bases[1] ? (lead ? s.title_lead : s.title_other)
        : pos < bases[2] ? s.heading : s.body / bodyNorm);
    }
    return tf;
  }

  /* What section `doc`'s kind multiplies its score by (scoring.rs kinds). */
  function kindWeight(meta, doc) {
    return meta.scoring.kinds[pages(meta).cls[doc]];
  }

  /* The bonus of a phrase by the best field it occurs in: the first of its
   * ascending occurrences says which (scoring.rs field_match). */
  function fieldMatch(meta, firstPos) {
    if (firstPos === undefined) return 1;
    return firstPos < meta.bases[1] ? meta.scoring.title_match : firstPos < meta.bases[2] ? meta.scoring.heading_match : 1;
  }

  /* The page table of meta.pages (format.rs encode_pages), decoded once:
   * {page: page number of each section, cls: its kind class, first: each
   * page's first section, count: pages}. */
  function pages(meta) {
    if (meta._pages) return meta._pages;
    var page = new Int32Array(meta.docs), cls = new Uint8Array(meta.docs), first = [];
    var r = decoder(meta.pages || '', 0), at = 0;
    while (r.more()) {
      var n = r.next(), count = Math.floor(n / 4);
      first.push(at);
      for (var k = 0; k < count && at < meta.docs; k++, at++) { page[at] = first.length - 1; cls[at] = n % 4; }
    }
    if (at !== meta.docs) throw new Error('lectern search: pages do not cover every section');
    Object.defineProperty(meta, '_pages', { value: { page: page, cls: cls, first: first, count: first.length } });
    return meta._pages;
  }

  function saturate(tf, s) {
    return tf * (s.k1 + 1) / (tf + s.k1);
  }

  function byScore(a, b) {
    return b.score - a.score || a.doc - b.doc;
  }

  function bodyNorm(step, meta) {
    var b = meta.scoring.b;
    return meta.avg_body > 0 ? 1 - b + b * stepLength(step) / meta.avg_body : 1;
  }

  /* Matches and ranks. meta: the index's meta; planned: unitTerms(query, …);
   * postingsOf(term): decoded postings (all needed shards loaded);
   * relaxed: planUnits(query.relaxed, …) or a function returning it, for
   * when no section has every phrase. opts (all optional): dfOf(size) — the
   * section count of a one-term query answered from a head; need — how many
   * of the best hits need their matches (default: all); cache — a Map in
   * which a unit's postings are kept between queries (postingsOf.tag names
   * what postingsOf returns); norms — a Map section -> posting, for lengths.
   * Returns {hits: [{doc, score, matches: [[pos, width]]}], partial, truncated}. */
  function rank(meta, query, planned, postingsOf, relaxed, opts) {
    opts = opts || {};
    var need = opts.need === undefined ? Infinity : opts.need;
    var norms = opts.norms || new Map(), cache = opts.cache;
    function postingsOfUnit(u) {
      if (!cache) return unitPostings(u.terms, postingsOf, norms);
      var key = (postingsOf.tag || '') + u.key + '\u0001' + u.terms.map(function (t) { return t[0] + '\u0002' + t[1]; }).join('\u0003');
      var hit = cache.get(key);
      if (!hit) {
        hit = unitPostings(u.terms, postingsOf, norms);
        hit.tf = new Map();
        cache.set(key, hit);
      }
      return hit;
    }
    var units = planned.units;
    var postings = units.map(postingsOfUnit);
    var byKey = {};
    units.forEach(function (u, k) { byKey[u.key] = postings[k]; });
    var s = meta.scoring;
    var phrases = query.phrases;
    if (!phrases.length) return { hits: [], partial: false, truncated: false };
    var occurrences = phrases.map(function (p) {
      return phraseOccurrences(p.tokens, p.tokens.map(function (t) { return byKey[unitKey(t.unit)]; }));
    });
    // Candidates: sections with every phrase, found from the rarest.
    var driver = 0;
    for (var o = 1; o < occurrences.length; o++) if (occurrences[o].size < occurrences[driver].size) driver = o;
    var candidates = [];
    occurrences[driver].forEach(function (_, doc) {
      for (var k = 0; k < occurrences.length; k++) if (k !== driver && !occurrences[k].has(doc)) return;
      candidates.push(doc);
    });
    candidates.sort(function (a, b) { return a - b; });
    var hits = [], partial = candidates.length === 0, matchesOf;
    if (!partial) {
      // A head holds only some of its term's sections: `dfOf` gives the real count.
      var idfs = occurrences.map(function (o) { return idf(meta.docs, opts.dfOf ? opts.dfOf(o.size) : o.size); });
      for (var c = 0; c < candidates.length; c++) {
        var doc = candidates[c], p = norms.get(doc), norm = bodyNorm(p.step, meta), score = 0;
        for (var k = 0; k < phrases.length; k++) {
          // A one-unit phrase shares the unit's cached postings, and with
          // them each section's weighted frequency (cacheable: it depends
          // on nothing but the postings and the section).
          var occMap = occurrences[k], tf = occMap.tf ? occMap.tf.get(doc) : undefined;
          if (tf === undefined) {
            tf = weightedTf(occMap.get(doc), norm, p.lead, meta);
            if (occMap.tf) occMap.tf.set(doc, tf);
          }
          score += idfs[k] * saturate(tf, s) * fieldMatch(meta, occMap.get(doc)[0]);
        }
        if (phrases.length > 1 && verbatim(phrases, occurrences, doc)) score *= s.verbatim;
        score *= kindWeight(meta, doc);
        hits.push({ doc: doc, score: score, matches: null });
      }
      matchesOf = function (doc) {
        var matches = [];
        phrases.forEach(function (phrase, k) {
          var occ = occurrences[k].get(doc);
          for (var i = 0; i < occ.length; i += 2) {
            phrase.tokens.forEach(function (t) { matches.push([occ[i] + t.offset, t.width]); });
          }
        });
        return sortedUnique(matches);
      };
    } else {
      // Relaxed: each unit of the pair reading scored as a term, times
      // coverage squared; sections with less than half the best coverage are
      // left out as noise.
      var perDoc = new Map();
      var loose = typeof relaxed === 'function' ? relaxed() : relaxed;
      // Not planned yet: the caller loads the relaxed reading's postings and asks again.
      if (!loose) return { hits: [], partial: true, truncated: planned.truncated };
      units = loose.units;
      postings = units.map(postingsOfUnit);
      units.forEach(function (u, k) {
        var post = postings[k];
        var width = u.unit.kind === 'cjk' ? [...u.unit.text].length : 1;
        var uidf = idf(meta.docs, post.size);
        Array.from(post.keys()).sort(function (a, b) { return a - b; }).forEach(function (doc) {
          var p = norms.get(doc);
          var e = perDoc.get(doc);
          if (!e) perDoc.set(doc, (e = { matched: 0, score: 0, matches: [] }));
          e.matched++;
          var occ = post.get(doc);
          e.score += uidf * saturate(weightedTf(occ, bodyNorm(p.step, meta), p.lead, meta), s) * fieldMatch(meta, occ[0]) * kindWeight(meta, doc);
          var list = post.get(doc);
          for (var i = 0; i < list.length; i += 2) e.matches.push([list[i], width]);
        });
      });
      var best = 0;
      perDoc.forEach(function (e) { best = Math.max(best, e.matched); });
      perDoc.forEach(function (e, doc) {
        if (e.matched * 2 < best) return;
        var coverage = e.matched / units.length;
        hits.push({ doc: doc, score: e.score * coverage * coverage, matches: null });
      });
      matchesOf = function (doc) { return sortedUnique(perDoc.get(doc).matches); };
    }
    hits.sort(byScore);
    // Matches are what results show highlighted: worked out for those shown.
    for (var h = 0; h < hits.length && h < need; h++) hits[h].matches = matchesOf(hits[h].doc);
    return withMatchesOf({ hits: hits, partial: partial, truncated: planned.truncated }, matchesOf);
  }

  function verbatim(phrases, occurrences, doc) {
    var first = occurrences[0].get(doc);
    starts: for (var i = 0; i < first.length; i += 2) {
      var at = first[i];
      for (var k = 1; k < occurrences.length; k++) {
        at += phrases[k - 1].span;
        if (findPos(occurrences[k].get(doc), at) < 0) continue starts;
      }
      return true;
    }
    return false;
  }

  function sortedUnique(pairs) {
    pairs.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return pairs.filter(function (p, k) { return k === 0 || p[0] !== pairs[k - 1][0] || p[1] !== pairs[k - 1][1]; });
  }

  // ---- loading an index ----------------------------------------------------

  /* Whether the first `need` sections by score can be told from the heads of
   * one unit's terms alone (format.rs: a head holds the sections where its
   * term weighs most, as a one-term query scores them, and every other
   * section of the term weighs at most as much as the head's lightest).
   * True when each of the `need` best sections has every term's occurrences
   * known and beats the most any other section could score. Scores are
   * compared without their idf (the same for every section of one unit). */
  function headsSuffice(meta, terms, entryOf, need) {
    var s = meta.scoring, docs = new Map();
    var maxField = Math.max(1, s.title_match, s.heading_match);
    var withTail = terms.filter(function (tw) { var e = entryOf(tw[0]); return e && e.tail >= 0; });
    var bounds = withTail.map(function (tw) {
      var min = Infinity;
      entryOf(tw[0]).head.forEach(function (p) { min = Math.min(min, postingWeight(meta, p)); });
      return min;
    });
    /* The most weighted frequency a term can have in a section of kind
     * weight `kind` outside its head: its one-term score is at most `bound`
     * (field bonus at least 1), and saturation is inverted. */
    function tfBound(bound, kind) {
      var y = bound / kind;
      return y >= s.k1 + 1 ? Infinity : y * s.k1 / (s.k1 + 1 - y);
    }
    /* Saturation of a bound that may be unbounded (it then tends to k1 + 1). */
    function satBound(tf) {
      return tf === Infinity ? s.k1 + 1 : saturate(tf, s);
    }
    terms.forEach(function (tw) {
      var e = entryOf(tw[0]);
      if (!e) return;
      e.head.forEach(function (p) {
        var d = docs.get(p.doc);
        if (!d) docs.set(p.doc, (d = { doc: p.doc, tf: 0, first: Infinity, seen: [] }));
        var occ = [];
        for (var k = 0; k < p.positions.length; k++) occ.push(p.positions[k], 1);
        d.tf += tw[1] * weightedTf(occ, bodyNorm(p.step, meta), p.lead, meta);
        d.first = Math.min(d.first, p.positions[0]);
        d.seen.push(tw);
      });
    });
    var list = Array.from(docs.values());
    if (list.length < need) return false;
    list.forEach(function (d) {
      var kind = kindWeight(meta, d.doc), extra = 0;
      withTail.forEach(function (tw, k) { if (d.seen.indexOf(tw) < 0) extra += tw[1] * tfBound(bounds[k], kind); });
      d.complete = extra === 0;
      d.score = saturate(d.tf, s) * kind * fieldMatch(meta, d.first === Infinity ? undefined : d.first);
      d.upper = d.complete ? d.score : satBound(d.tf + extra) * kind * maxField;
    });
    list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    // A section in no head: only terms with a tail can be in it.
    var rest = 0;
    s.kinds.forEach(function (kind) {
      var tf = 0;
      withTail.forEach(function (tw, k) { tf += tw[1] * tfBound(bounds[k], kind); });
      if (withTail.length) rest = Math.max(rest, satBound(tf) * kind * maxField);
    });
    for (var i = need; i < list.length; i++) rest = Math.max(rest, list[i].upper);
    for (var j = 0; j < need; j++) if (!list[j].complete) return false;
    // Strictly above (with room for rounding): an equal section elsewhere
    // could come first on its section number.
    return list[need - 1].score > rest * (1 + 1e-9) + 1e-12;
  }

  /* What one term weighs in a section as a one-term query scores it, idf
   * aside: the order heads are cut in (index.rs TermPostings::push). */
  function postingWeight(meta, p) {
    var occ = [];
    for (var k = 0; k < p.positions.length; k++) occ.push(p.positions[k], 1);
    return saturate(weightedTf(occ, bodyNorm(p.step, meta), p.lead, meta), meta.scoring) * kindWeight(meta, p.doc) * fieldMatch(meta, p.positions[0]);
  }

  /* Merges two postings lists by section. */
  function mergePostings(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i].doc < b[j].doc)) out.push(a[i++]);
      else out.push(b[j++]);
    }
    return out;
  }

  /* An index whose files come from load(kind, number) -> Promise of the
   * payload the file registers (search.js loads script elements; the tests
   * read files). Loads only what a query needs, and keeps what it loaded. */
  function createIndex(load) {
    var metaPromise = null;
    var files = { shard: new Map(), tail: new Map(), words: new Map(), docs: new Map(), fold: new Map() };
    var entries = new Map(), full = new Map();
    // Postings of units and section lengths, kept between queries like the
    // decoded postings they are made of.
    var unitCache = new Map(), norms = new Map();
    var stats = { files: 0 };

    function once(kind, n) {
      var map = files[kind];
      if (!map.has(n)) {
        stats.files++;
        var p = load(kind, n);
        map.set(n, p);
        // A failed load may be retried by the next query.
        p.catch(function () { map.delete(n); });
      }
      return map.get(n);
    }

    function meta() {
      if (!metaPromise) {
        stats.files++;
        metaPromise = load('meta', 0).then(function (m) {
          if (m.format !== FORMAT_VERSION) throw new Error('lectern search: index format ' + m.format + ', expected ' + FORMAT_VERSION);
          return m;
        });
        metaPromise.catch(function () { metaPromise = null; });
      }
      return metaPromise;
    }

    /* Loads the dictionary groups the partial words of `units` need;
     * resolves to a function (word, mode) -> candidate words, sorted. */
    function dictionary(m, units) {
      var wanted = {};
      units.forEach(function (u) {
        if (u.kind !== 'word' || u.mode === 'exact') return;
        var g = wordGroup(u.text, u.mode, m.word_groups);
        if (g < 0) for (var k = 0; k < m.word_groups; k++) wanted[k] = true;
        else wanted[g] = true;
      });
      var groups = Object.keys(wanted).map(Number);
      return Promise.all(groups.map(function (g) {
        return once('words', g).then(function (w) { return [g, w ? w.split(' ') : []]; });
      })).then(function (loaded) {
        var byGroup = new Map(loaded);
        return function (word, mode) {
          var g = wordGroup(word, mode, m.word_groups);
          if (g >= 0) return byGroup.get(g);
          var all = [];
          byGroup.forEach(function (w) { all = all.concat(w); });
          return Array.from(new Set(all)).sort();
        };
      });
    }

    /* Loads the shard entries of `terms`; resolves when entryOf() knows them. */
    function loadEntries(m, terms) {
      var wanted = {};
      terms.forEach(function (t) { if (!entries.has(t)) wanted[shardOf(t, m.shards)] = true; });
      return Promise.all(Object.keys(wanted).map(function (n) {
        return once('shard', +n).then(function (data) { return [+n, data]; });
      })).then(function (loaded) {
        var byShard = new Map(loaded);
        terms.forEach(function (t) {
          if (entries.has(t)) return;
          var raw = byShard.get(shardOf(t, m.shards))[t];
          entries.set(t, raw ? decodeEntry(raw) : null);
        });
      });
    }

    /* Loads the tails of `terms`, so that fullPostings() has them. */
    function loadTails(terms) {
      var wanted = {};
      terms.forEach(function (t) {
        var e = entries.get(t);
        if (e && e.tail >= 0 && !full.has(t)) wanted[e.tail] = true;
      });
      return Promise.all(Object.keys(wanted).map(function (n) {
        return once('tail', +n).then(function (data) { return [+n, data]; });
      })).then(function (loaded) {
        var byTail = new Map(loaded);
        terms.forEach(function (t) {
          var e = entries.get(t);
          if (!e || e.tail < 0 || full.has(t)) return;
          full.set(t, mergePostings(e.head, decodePostings(byTail.get(e.tail)[t])));
        });
      });
    }

    function entryOf(t) { return entries.get(t) || null; }
    function headPostings(t) { var e = entries.get(t); return e ? e.head : []; }
    headPostings.tag = 'h';
    function fullPostings(t) {
      if (full.has(t)) return full.get(t);
      var e = entries.get(t);
      if (e && e.tail >= 0) throw new Error('lectern search: tail of ' + t + ' not loaded');
      return e ? e.head : [];
    }
    fullPostings.tag = 'f';
    function termsOf(planned) {
      var out = [];
      planned.units.forEach(function (u) { u.terms.forEach(function (tw) { if (out.indexOf(tw[0]) < 0) out.push(tw[0]); }); });
      return out;
    }

    /* Runs a query; `need` (default: all) is how many of the best results the
     * caller will show, so a query of one common term can stop at its head.
     * Resolves to {query, hits, partial, truncated, total, totalExact,
     * complete, meta}: hits holds at least the `need` best, in order; when
     * `complete`, every result. */
    /* Loads fold-0.js (once) into the folding table. */
    var foldPromise = null;
    function loadFold() {
      if (!foldPromise) {
        foldPromise = meta().then(function (m) {
          if (!m.fold_chars) return;
          return once('fold', 0).then(addFoldPairs);
        });
        foldPromise.catch(function () { foldPromise = null; });
      }
      return foldPromise;
    }

    /* A query as typed and with each synonym (engine.rs search_text):
     * resolves to the merged outcome, with `also` the other queries run. */
    function search(text, need) {
      if (need === undefined || need === null) need = Infinity;
      return meta().then(function (m) {
        return folded(text, need).then(function (first) {
          var variants = synonymVariants(foldString(text), m.synonyms || []);
          if (!variants.length) { first.also = []; return first; }
          return Promise.all(variants.map(function (v) { return folded(v, need); })).then(function (more) {
            return mergeOutcomes([first].concat(more), variants, need);
          });
        });
      });
    }

    /* A query; when it finds nothing exactly and has CJK characters, once
     * more after loading the Traditional → Simplified table (a Traditional
     * character is never in an index, which folds it: a query with one finds
     * nothing exactly until it is folded too). */
    function folded(text, need) {
      return searchOnce(text, need).then(function (outcome) {
        if ((outcome.hits.length && !outcome.partial) || !outcome.meta.fold_chars || foldPromise || !/[\u2e80-\u9fff\uf900-\ufaff]|[\ud840-\ud88f]/.test(text)) return outcome;
        var before = foldString(text);
        return loadFold().then(function () {
          return foldString(text) === before ? outcome : searchOnce(text, need);
        });
      });
    }

    function searchOnce(text, need) {
      var query = parseQuery(text);
      return meta().then(function (m) {
        if (!query.phrases.length) {
          return { query: query, hits: [], partial: false, truncated: false, total: 0, totalExact: true, complete: true, meta: m };
        }
        var units = query.phrases.reduce(function (all, p) { return all.concat(p.tokens.map(function (t) { return t.unit; })); }, []);
        return dictionary(m, units.concat(query.relaxed)).then(function (words) {
          var planned = planUnits(units, words, m.scoring);
          var terms = termsOf(planned);
          return loadEntries(m, terms).then(function () {
            var tailed = terms.filter(function (t) { var e = entries.get(t); return e && e.tail >= 0; });
            var single = query.phrases.length === 1 && planned.units.length === 1;
            var mode = 'full';
            if (!tailed.length) mode = 'complete';
            else if (single && need <= m.head && planned.units[0].terms.length === 1) mode = 'head';
            else if (single && need <= m.head && headsSuffice(m, planned.units[0].terms, entryOf, need)) mode = 'bounded';
            var ready = mode === 'full' ? loadTails(tailed) : Promise.resolve();
            return ready.then(function () {
              var relaxedPlan = null;
              function relaxed() { return relaxedPlan; }
              var dfOf = mode === 'head' ? function () { return entries.get(planned.units[0].terms[0][0]).df; } : null;
              var opts = { dfOf: dfOf, need: need, cache: unitCache, norms: norms };
              var first = rank(m, query, planned, mode === 'head' || mode === 'bounded' ? headPostings : fullPostings, relaxed, opts);
              if (!first.partial) return finish(first, mode, planned);
              // Nothing has every phrase: relax to the pair reading, with every posting.
              relaxedPlan = planUnits(query.relaxed, words, m.scoring);
              var loose = termsOf(relaxedPlan);
              return loadEntries(m, loose).then(function () {
                return loadTails(terms.concat(loose));
              }).then(function () {
                return finish(rank(m, query, planned, fullPostings, relaxed, { need: need, cache: unitCache, norms: norms }), 'full', planned);
              });
            });
          });
        });
      });

      function finish(outcome, mode, planned) {
        outcome.query = query;
        outcome.complete = mode === 'complete' || mode === 'full';
        outcome.total = outcome.hits.length;
        outcome.totalExact = true;
        if (mode === 'head') {
          outcome.total = entries.get(planned.units[0].terms[0][0]).df;
        } else if (mode === 'bounded') {
          outcome.hits = outcome.hits.slice(0, need);
          planned.units[0].terms.forEach(function (tw) {
            var e = entries.get(tw[0]);
            if (e) outcome.total = Math.max(outcome.total, e.df);
          });
          outcome.totalExact = false;
        }
        return metaPromise.then(function (m) { outcome.meta = m; return outcome; });
      }
    }

    /* The stored sections [kind, url, title, heading, breadcrumb, text] of the given ids. */
    function docs(ids) {
      return meta().then(function (m) {
        var size = Math.max(1, m.chunk_docs), needed = {};
        ids.forEach(function (id) { needed[Math.floor(id / size)] = true; });
        return Promise.all(Object.keys(needed).map(function (n) {
          return once('docs', +n).then(function (list) { return [+n, list]; });
        })).then(function (loaded) {
          var byChunk = new Map(loaded);
          return ids.map(function (id) { return byChunk.get(Math.floor(id / size))[id % size]; });
        });
      });
    }

    /* Results by page (engine.rs group_pages): {pages: [{page, first, score,
     * hits: [hit, …up to perPage]}], pageCount, pageCountExact, outcome}; the
     * pages in order of their best section, at least `want` of them when
     * there are (asking the engine for more sections when the first ones
     * fill fewer pages). `filter(kindClass)` keeps pages of some kinds. */
    function searchPages(text, want, perPage, filter) {
      perPage = perPage || 3;
      function attempt(need) {
        return search(text, need).then(function (outcome) {
          var m = outcome.meta, table = pages(m);
          var known = outcome.complete ? outcome.hits.length : Math.min(outcome.hits.length, need);
          var hits = known < outcome.hits.length ? outcome.hits.slice(0, known) : outcome.hits;
          // Groups are built for the pages asked for only; the rest are counted.
          var grouped = groupPages(m, hits, perPage, filter, want);
          if (grouped.count < want && known < outcome.hits.length + (outcome.complete ? 0 : 1) && need !== Infinity) {
            return attempt(Infinity);
          }
          var counts = kindCounts(m, hits);
          return {
            pages: grouped.pages, pageCount: grouped.count, sectionCount: filter ? grouped.sections : outcome.total,
            exact: outcome.complete && outcome.totalExact !== false, kinds: counts, outcome: outcome, table: table
          };
        });
      }
      return attempt(want === Infinity ? Infinity : Math.max(want * perPage, want + 8));
    }

    return { meta: meta, search: search, searchPages: searchPages, docs: docs, stats: stats, loadFold: loadFold };
  }

  /* Hits grouped by page in the order of their best section: {pages, count,
   * sections} (engine.rs group_pages). Only the first `limit` pages (default
   * all) get a group; the others are counted. A common query's hits fill
   * thousands of pages of which a list shows five or ten. */
  function groupPages(meta, hits, perPage, filter, limit) {
    // slot[page]: 0 not seen yet, -1 counted without a group, else its group + 1.
    var table = pages(meta), slot = new Int32Array(table.count), out = [], count = 0, sections = 0;
    if (limit === undefined || limit === null) limit = Infinity;
    for (var k = 0; k < hits.length; k++) {
      var h = hits[k], c = table.cls[h.doc];
      if (filter && !filter(c)) continue;
      sections++;
      var p = table.page[h.doc], at = slot[p];
      if (at === 0) {
        count++;
        if (out.length < limit) {
          out.push({ page: p, first: table.first[p], kind: c, score: h.score, hits: [] });
          at = slot[p] = out.length;
        } else slot[p] = -1;
      }
      if (at > 0 && out[at - 1].hits.length < perPage) out[at - 1].hits.push(h);
    }
    return { pages: out, count: count, sections: sections };
  }

  /* Pages and sections among hits, per kind class: [[pages, sections] × 4]. */
  function kindCounts(meta, hits) {
    var table = pages(meta), counts = [[0, 0], [0, 0], [0, 0], [0, 0]], seen = new Uint8Array(table.count);
    for (var k = 0; k < hits.length; k++) {
      var doc = hits[k].doc, c = table.cls[doc], p = table.page[doc];
      counts[c][1]++;
      if (!seen[p]) { seen[p] = 1; counts[c][0]++; }
    }
    return counts;
  }

  /* The other queries a query stands for by `synonyms` (folded groups):
   * each term of a group the folded query holds, replaced by each other
   * term of its group; at most eight (engine.rs synonym_variants). */
  function synonymVariants(q, groups) {
    var out = [];
    groups.forEach(function (g) {
      g.forEach(function (t) {
        if (!t || q.indexOf(t) < 0) return;
        g.forEach(function (u) {
          if (u === t) return;
          var v = q.split(t).join(u);
          if (v !== q && out.indexOf(v) < 0 && out.length < 8) out.push(v);
        });
      });
    });
    return out;
  }

  /* Outcomes of a query and its variants as one: each section at its best
   * score (the first outcome's on a tie), exact matches over partial ones. */
  function mergeOutcomes(list, variants, need) {
    var exact = list.filter(function (o) { return o.hits.length && !o.partial; });
    var use = exact.length ? exact : list;
    var best = new Map();
    use.forEach(function (o) {
      o.hits.forEach(function (h) {
        var b = best.get(h.doc);
        if (!b || h.score > b.score) best.set(h.doc, h);
      });
    });
    // A section several of the queries found marks what each matched (投诉
    // next to 抱怨), not only the words of the one that scored best.
    var docsOf = use.map(function (o) { return new Set(o.hits.map(function (h) { return h.doc; })); });
    function matchesOf(doc) {
      var all = [];
      use.forEach(function (o, k) { if (docsOf[k].has(doc) && o.matchesOf) all = all.concat(o.matchesOf(doc)); });
      return sortedUnique(all);
    }
    var hits = Array.from(best.values()).sort(byScore).map(function (h) {
      return { doc: h.doc, score: h.score, matches: h.matches && matchesOf(h.doc) };
    });
    var first = list[0], complete = use.every(function (o) { return o.complete; });
    var total = complete ? hits.length : Math.max.apply(null, use.map(function (o) { return o.total; }));
    if (!complete && need !== Infinity) hits = hits.slice(0, need);
    return withMatchesOf({
      query: first.query, hits: hits, partial: !exact.length && first.partial, truncated: use.some(function (o) { return o.truncated; }),
      total: total, totalExact: complete, complete: complete, meta: first.meta,
      also: variants.filter(function (v, k) { return list[k + 1].hits.length; })
    }, matchesOf);
  }

  /* An outcome's matchesOf(doc): the matches of any of its hits. Only the
   * first hits asked for carry theirs; results grouped by page show sections
   * further down too (search.js). Not enumerable, so an outcome still
   * compares equal to the Rust engine's in the agreement tests. */
  function withMatchesOf(outcome, matchesOf) {
    Object.defineProperty(outcome, 'matchesOf', { value: matchesOf, enumerable: false });
    return outcome;
  }

  // ---- highlighting and snippets -------------------------------------------

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /* Ranges [start, end) of original text covered by matches [[pos, width]]
   * whose positions count from `base` in this text's tokens; merged, ascending. */
  function matchRanges(text, matches, base) {
    var last = -1;
    matches.forEach(function (m) { last = Math.max(last, m[0] - base + m[1] - 1); });
    if (last < 0) return [];
    var at = positionRanges(text, last), ranges = [];
    matches.forEach(function (m) {
      for (var k = 0; k < m[1]; k++) {
        var p = m[0] - base + k;
        if (p >= 0 && p < at.starts.length) ranges.push([at.starts[p], at.ends[p]]);
      }
    });
    return mergeRanges(ranges);
  }

  /* The original range [starts[p], ends[p]) of each position p <= last of
   * `text` as tokenize(fold(text)) numbers them (a CJK character or a word
   * each). Reads no further than position `last` and builds no tokens: a
   * snippet's section is often long and its matches near the start, and
   * results by page show up to fifteen snippets per query. */
  function positionRanges(text, last) {
    var starts = [], ends = [], word = -1, wordEnd = 0;
    function emit(ch, start, end) {
      var cls = charClass(ch);
      if (cls === WORDCLASS) {
        if (word < 0) word = start;
        wordEnd = end;
        return;
      }
      if (word >= 0) { starts.push(word); ends.push(wordEnd); word = -1; }
      if (cls === CJK) { starts.push(start); ends.push(end); }
    }
    for (var i = 0, n = text.length; i < n && starts.length <= last;) i = foldStep(text, i, n, emit);
    if (word >= 0) { starts.push(word); ends.push(wordEnd); }
    return { starts: starts, ends: ends };
  }

  function mergeRanges(ranges) {
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var out = [];
    ranges.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push([r[0], r[1]]);
    });
    return out;
  }

  /* HTML of text[from, to) with ranges wrapped in <mark>, everything escaped
   * and runs of white space shown as one space. */
  function markHtml(text, ranges, from, to) {
    function piece(a, b) { return escapeHtml(text.slice(a, b).replace(/\s+/g, ' ')); }
    var html = '', at = from;
    ranges.forEach(function (r) {
      var s = Math.max(r[0], from), e = Math.min(r[1], to);
      if (e <= s) return;
      html += piece(at, s) + '<mark>' + piece(s, e) + '</mark>';
      at = e;
    });
    return html + piece(at, to);
  }

  /* Moves an index off the second half of a surrogate pair. */
  function safeCut(text, i) {
    var c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
  }

  /* A snippet of `text` around its densest cluster of matched ranges:
   * escaped HTML with <mark>s, about `length` code units long. */
  function snippet(text, ranges, length) {
    length = length || 120;
    var lo = 0, hi = text.length;
    while (lo < hi && /\s/.test(text.charAt(lo))) lo++;
    while (hi > lo && /\s/.test(text.charAt(hi - 1))) hi--;
    if (hi - lo <= length) return markHtml(text, ranges, lo, hi);
    var best = lo, bestCount = -1;
    ranges.forEach(function (r, k) {
      var count = 0;
      for (var j = k; j < ranges.length && ranges[j][1] <= r[0] + length; j++) count++;
      if (count > bestCount) { bestCount = count; best = r[0]; }
    });
    // Some context before the first match, and never past the end.
    var from = Math.max(lo, Math.min(best - Math.floor(length / 5), hi - length));
    from = safeCut(text, from);
    var to = safeCut(text, Math.min(hi, from + length));
    return (from > lo ? '…' : '') + markHtml(text, ranges, from, to) + (to < hi ? '…' : '');
  }

  /* Ranges of `text` where the query's phrases occur (any phrase, each whole):
   * what to highlight on the page a result opens. */
  function queryRanges(text, query) {
    var folded = fold(text);
    var tokens = tokenize(folded).tokens;
    var ranges = [];
    query.phrases.forEach(function (phrase) {
      var found = [];
      var units = phrase.tokens.map(function (qt) {
        var map = new Map(), list = [], toks = [];
        tokens.forEach(function (t) {
          var w = unitWeight(qt.unit, t);
          if (w > 0) { list.push(t.pos, w); toks.push(t); }
        });
        if (list.length) map.set(0, list);
        found.push(toks);
        return map;
      });
      var occ = phraseOccurrences(phrase.tokens, units).get(0) || [];
      for (var i = 0; i < occ.length; i += 2) {
        phrase.tokens.forEach(function (qt, k) {
          var t = found[k][findPos(units[k].get(0), occ[i] + qt.offset)];
          ranges.push([folded.starts[t.start], folded.ends[t.end - 1]]);
        });
      }
    });
    return mergeRanges(ranges);
  }

  /* How a token of text matches a query unit (0: it does not); as expand(). */
  function unitWeight(unit, token) {
    if (unit.kind === 'cjk') return token.kind !== 'word' && token.term === unit.text ? 1 : 0;
    if (token.kind !== 'word') return 0;
    return wordMatch(unit.text, unit.mode, token.term) ? 1 : 0;
  }

  var api = {
    fold: fold, foldString: foldString, tokenize: tokenize, isCjk: isCjk,
    parseQuery: parseQuery, unitTerms: unitTerms, expand: expand, needsWords: needsWords,
    decodePostings: decodePostings, decodeEntry: decodeEntry, stepLength: stepLength,
    termHash: termHash, shardOf: shardOf, wordGroup: wordGroup,
    rank: rank, createIndex: createIndex, headsSuffice: headsSuffice,
    pages: pages, groupPages: groupPages, synonymVariants: synonymVariants, addFoldPairs: addFoldPairs,
    escapeHtml: escapeHtml, matchRanges: matchRanges, mergeRanges: mergeRanges,
    markHtml: markHtml, snippet: snippet, queryRanges: queryRanges,
    FORMAT_VERSION: FORMAT_VERSION
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.LecternSearchEngine = api;
})(typeof self !== 'undefined' ? self : this);
