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

  var MARK = /\p{M}/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /\p{White_Space}/u;

  /* Folds text segment by segment (a character and its combining marks), so
   * every folded character knows the range [start, end) of original UTF-16
   * code units it came from. Returns {chars: [string], starts: [], ends: []}. */
  function fold(text) {
    var chars = [], starts = [], ends = [];
    var i = 0, n = text.length;
    while (i < n) {
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
          chars.push(cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : cp < 0x80 ? String.fromCharCode(cp) : text.charAt(start));
          starts.push(start);
          ends.push(i);
          continue;
        }
      }
      while (i < n) {
        var next = text.codePointAt(i);
        var ch = String.fromCodePoint(next);
        // As fold.rs joins_previous: marks, and ﾞ ﾟ which NFKC makes combining.
        if (next !== 0xff9e && next !== 0xff9f && !MARK.test(ch)) break;
        i += ch.length;
      }
      var segment = text.slice(start, i).normalize('NFKC');
      for (var c of segment) {
        for (var lower of c.toLowerCase()) {
          chars.push(lower === 'ς' ? 'σ' : lower);
          starts.push(start);
          ends.push(i);
        }
      }
    }
    return { chars: chars, starts: starts, ends: ends };
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
    if (isCjk(ch)) return CJK;
    var c = ch.codePointAt(0);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return WORDCLASS;
    if (c < 0x80) return SEP;
    return WORD.test(ch) ? WORDCLASS : SEP;
  }

  /* Tokens of folded text: {term, kind: 'char'|'pair'|'word', pos, start, end}
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

  /* A query: {phrases: [{tokens: [{unit, offset, width}], span}]}; a unit is
   * {kind: 'cjk', text} or {kind: 'word', text, mode: 'exact'|'prefix'|'suffix'|'infix'}. */
  function parseQuery(query) {
    var chars = fold(query).chars;
    var first = -1, last = -1;
    for (var k = 0; k < chars.length; k++) {
      if (!SPACE.test(chars[k])) { if (first < 0) first = k; last = k; }
    }
    var phrases = [];
    if (first < 0) return { phrases: phrases };
    var i = first;
    while (i <= last) {
      if (SPACE.test(chars[i])) { i++; continue; }
      var start = i;
      while (i <= last && !SPACE.test(chars[i])) i++;
      // Openness is judged on the untrimmed query (query.rs): a space typed
      // before or after a word says the word starts or ends there.
      var phrase = parsePhrase(chars, start, i, 0, chars.length);
      if (phrase.tokens.length) phrases.push(phrase);
    }
    // A single letter matched inside words would match nearly every word.
    if (phrases.length === 1 && phrases[0].tokens.length === 1) {
      var unit = phrases[0].tokens[0].unit;
      if (unit.kind === 'word' && unit.mode === 'infix' && [...unit.text].length < 2) unit.mode = 'prefix';
    }
    return { phrases: phrases };
  }

  function parsePhrase(chars, start, end, queryStart, queryEnd) {
    var tokens = [], pos = 0, i = start, j;
    while (i < end) {
      var cls = charClass(chars[i]);
      if (cls === SEP) { i++; continue; }
      j = i;
      while (j < end && charClass(chars[j]) === cls) j++;
      if (cls === CJK) {
        if (j - i === 1) {
          tokens.push({ unit: { kind: 'cjk', text: chars[i] }, offset: pos, width: 1 });
        } else {
          for (var k = i; k < j - 1; k++) {
            tokens.push({ unit: { kind: 'cjk', text: chars[k] + chars[k + 1] }, offset: pos + (k - i), width: 2 });
          }
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
  var FORMAT_VERSION = 1;

  /* Postings string to [{doc, positions: Int32Array}], ascending doc. */
  function decodePostings(text) {
    var out = [], at = 0, n = text.length, doc = -1;
    function next() {
      var v = 0;
      for (;;) {
        if (at >= n) throw new Error('lectern search: postings cut short');
        var x = DIGIT[text.charCodeAt(at++)];
        if (x < 0) throw new Error('lectern search: bad postings');
        if (x < BASE) return v * BASE + x;
        v = v * BASE + (x - BASE);
      }
    }
    while (at < n) {
      doc += next() + 1;
      var count = next(), positions = new Int32Array(count), pos = -1;
      for (var k = 0; k < count; k++) { pos += next() + 1; positions[k] = pos; }
      out.push({ doc: doc, positions: positions });
    }
    return out;
  }

  /* [body length, lead] a norm character stands for (format.rs decode_norm). */
  function decodeNorm(ch) {
    var v = Math.max(0, ALPHABET.indexOf(ch));
    var lead = v >= BASE;
    var q = lead ? v - BASE : v;
    return [Math.exp(q / 4) - 1, lead];
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

  // ---- matching and ranking (engine.rs) ------------------------------------

  var K1 = 1.2, B = 0.75;
  var TITLE_WEIGHT_LEAD = 6, TITLE_WEIGHT_OTHER = 2, HEADING_WEIGHT = 5, BODY_WEIGHT = 1;
  var VERBATIM_BONUS = 1.5, PREFIX_WEIGHT = 0.8, INNER_WEIGHT = 0.6, MAX_EXPANSIONS = 128;

  /* Index words a query word stands for: {terms: [[word, weight]], truncated}. */
  function expand(word, mode, words) {
    if (mode === 'exact') return { terms: [[word, 1]], truncated: false };
    var found = [];
    for (var i = 0; i < words.length; i++) {
      var w = words[i], weight;
      if (w === word) weight = 1;
      else if ((mode === 'prefix' || mode === 'infix') && w.startsWith(word)) weight = PREFIX_WEIGHT;
      else if ((mode === 'suffix' && w.endsWith(word)) || (mode === 'infix' && w.includes(word))) weight = INNER_WEIGHT;
      else continue;
      found.push([weight, [...w].length, i]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1] || a[2] - b[2]; });
    var truncated = found.length > MAX_EXPANSIONS;
    if (truncated) found.length = MAX_EXPANSIONS;
    return { terms: found.map(function (f) { return [words[f[2]], f[0]]; }), truncated: truncated };
  }

  function needsWords(query) {
    return query.phrases.some(function (p) {
      return p.tokens.some(function (t) { return t.unit.kind === 'word' && t.unit.mode !== 'exact'; });
    });
  }

  /* Every distinct unit with its index terms: {units: [{unit, key, terms}], truncated}. */
  function unitTerms(query, words) {
    var units = [], seen = {}, truncated = false;
    query.phrases.forEach(function (p) {
      p.tokens.forEach(function (t) {
        var key = unitKey(t.unit);
        if (seen[key]) return;
        seen[key] = true;
        var terms;
        if (t.unit.kind === 'cjk') terms = [[t.unit.text, 1]];
        else {
          var e = expand(t.unit.text, t.unit.mode, words);
          truncated = truncated || e.truncated;
          terms = e.terms;
        }
        units.push({ unit: t.unit, key: key, terms: terms });
      });
    });
    return { units: units, truncated: truncated };
  }

  /* section -> ascending [pos, weight] of one unit, as a Map. */
  function unitPostings(terms, postingsOf) {
    var map = new Map();
    terms.forEach(function (tw) {
      postingsOf(tw[0]).forEach(function (p) {
        var list = map.get(p.doc);
        if (!list) map.set(p.doc, (list = []));
        for (var k = 0; k < p.positions.length; k++) list.push([p.positions[k], tw[1]]);
      });
    });
    if (terms.length > 1) map.forEach(function (list) { list.sort(function (a, b) { return a[0] - b[0]; }); });
    return map;
  }

  function findPos(list, want) {
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, p = list[mid][0];
      if (p === want) return mid;
      if (p < want) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /* section -> ascending [start, weight] occurrences of a phrase. */
  function phraseOccurrences(tokens, units) {
    var out = new Map();
    units[0].forEach(function (first, doc) {
      var rest = [];
      for (var u = 1; u < units.length; u++) {
        var l = units[u].get(doc);
        if (!l) return;
        rest.push(l);
      }
      var occ = [];
      starts: for (var s = 0; s < first.length; s++) {
        var start = first[s][0], weight = first[s][1];
        for (var t = 1; t < tokens.length; t++) {
          var idx = findPos(rest[t - 1], start + tokens[t].offset);
          if (idx < 0) continue starts;
          weight *= rest[t - 1][idx][1];
        }
        occ.push([start, weight]);
      }
      if (occ.length) out.set(doc, occ);
    });
    return out;
  }

  function idf(docs, df) {
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  function weightedTf(occurrences, bodyNorm, lead, bases) {
    var tf = 0;
    for (var k = 0; k < occurrences.length; k++) {
      var pos = occurrences[k][0], w = occurrences[k][1];
      tf += w * (pos < bases[1] ? (lead ? TITLE_WEIGHT_LEAD : TITLE_WEIGHT_OTHER)
        : pos < bases[2] ? HEADING_WEIGHT : BODY_WEIGHT / bodyNorm);
    }
    return tf;
  }

  function saturate(tf) {
    return tf * (K1 + 1) / (tf + K1);
  }

  function byScore(a, b) {
    return b.score - a.score || a.doc - b.doc;
  }

  /* Matches and ranks. meta: the index's meta; planned: unitTerms(query, …);
   * postingsOf(term): decoded postings (all needed shards loaded).
   * Returns {hits: [{doc, score, matches: [[pos, width]]}], partial, truncated}. */
  function rank(meta, query, planned, postingsOf) {
    var units = planned.units;
    var postings = units.map(function (u) { return unitPostings(u.terms, postingsOf); });
    var byKey = {};
    units.forEach(function (u, k) { byKey[u.key] = postings[k]; });
    function section(doc) {
      var nl = decodeNorm(meta.norms.charAt(doc));
      return [meta.avg_body > 0 ? 1 - B + B * nl[0] / meta.avg_body : 1, nl[1]];
    }
    var phrases = query.phrases;
    if (!phrases.length) return { hits: [], partial: false, truncated: false };
    var occurrences = phrases.map(function (p) {
      return phraseOccurrences(p.tokens, p.tokens.map(function (t) { return byKey[unitKey(t.unit)]; }));
    });
    var candidates = [];
    occurrences[0].forEach(function (_, doc) {
      for (var k = 1; k < occurrences.length; k++) if (!occurrences[k].has(doc)) return;
      candidates.push(doc);
    });
    candidates.sort(function (a, b) { return a - b; });
    var hits = [], partial = candidates.length === 0;
    if (!partial) {
      var idfs = occurrences.map(function (o) { return idf(meta.docs, o.size); });
      candidates.forEach(function (doc) {
        var s = section(doc), score = 0, matches = [];
        phrases.forEach(function (phrase, k) {
          var occ = occurrences[k].get(doc);
          score += idfs[k] * saturate(weightedTf(occ, s[0], s[1], meta.bases));
          occ.forEach(function (o) {
            phrase.tokens.forEach(function (t) { matches.push([o[0] + t.offset, t.width]); });
          });
        });
        if (phrases.length > 1 && verbatim(phrases, occurrences, doc)) score *= VERBATIM_BONUS;
        hits.push({ doc: doc, score: score, matches: sortedUnique(matches) });
      });
    } else {
      // Relaxed: each unit scored as a term, times coverage squared; sections
      // with less than half the best coverage are left out as noise.
      var perDoc = new Map();
      units.forEach(function (u, k) {
        var post = postings[k];
        var width = u.unit.kind === 'cjk' && [...u.unit.text].length === 2 ? 2 : 1;
        var uidf = idf(meta.docs, post.size);
        Array.from(post.keys()).sort(function (a, b) { return a - b; }).forEach(function (doc) {
          var s = section(doc);
          var e = perDoc.get(doc);
          if (!e) perDoc.set(doc, (e = { matched: 0, score: 0, matches: [] }));
          e.matched++;
          e.score += uidf * saturate(weightedTf(post.get(doc), s[0], s[1], meta.bases));
          post.get(doc).forEach(function (pw) { e.matches.push([pw[0], width]); });
        });
      });
      var best = 0;
      perDoc.forEach(function (e) { best = Math.max(best, e.matched); });
      perDoc.forEach(function (e, doc) {
        if (e.matched * 2 < best) return;
        var coverage = e.matched / units.length;
        hits.push({ doc: doc, score: e.score * coverage * coverage, matches: sortedUnique(e.matches) });
      });
    }
    hits.sort(byScore);
    return { hits: hits, partial: partial, truncated: planned.truncated };
  }

  function verbatim(phrases, occurrences, doc) {
    return occurrences[0].get(doc).some(function (o) {
      var at = o[0];
      for (var k = 1; k < occurrences.length; k++) {
        at += phrases[k - 1].span;
        if (findPos(occurrences[k].get(doc), at) < 0) return false;
      }
      return true;
    });
  }

  function sortedUnique(pairs) {
    pairs.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return pairs.filter(function (p, k) { return k === 0 || p[0] !== pairs[k - 1][0] || p[1] !== pairs[k - 1][1]; });
  }

  // ---- loading an index ----------------------------------------------------

  /* An index whose files come from load(kind, number) -> Promise of the
   * payload the file registers (search.js loads script elements; the tests
   * read files). Loads only what a query needs, and keeps what it loaded. */
  function createIndex(load) {
    var metaPromise = null, wordsPromise = null;
    var shards = new Map(), chunks = new Map(), decoded = new Map();
    var stats = { files: 0 };

    function once(map, key, kind, n) {
      if (!map.has(key)) {
        stats.files++;
        var p = load(kind, n);
        map.set(key, p);
        // A failed load may be retried by the next query.
        p.catch(function () { map.delete(key); });
      }
      return map.get(key);
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

    function words() {
      if (!wordsPromise) {
        stats.files++;
        wordsPromise = load('words', 0).then(function (w) { return w ? w.split(' ') : []; });
        wordsPromise.catch(function () { wordsPromise = null; });
      }
      return wordsPromise;
    }

    /* Runs a query: resolves to {query, hits, partial, truncated, meta}. */
    function search(text) {
      var query = parseQuery(text);
      return meta().then(function (m) {
        if (!query.phrases.length) return { query: query, hits: [], partial: false, truncated: false, meta: m };
        return (needsWords(query) ? words() : Promise.resolve([])).then(function (ws) {
          var planned = unitTerms(query, ws);
          var wanted = {};
          planned.units.forEach(function (u) {
            u.terms.forEach(function (tw) { wanted[shardOf(tw[0], m.shards)] = true; });
          });
          var loads = Object.keys(wanted).map(function (n) {
            return once(shards, +n, 'shard', +n).then(function (data) { return [+n, data]; });
          });
          return Promise.all(loads).then(function (loaded) {
            var byShard = new Map(loaded);
            var outcome = rank(m, query, planned, function (term) {
              if (!decoded.has(term)) {
                var raw = byShard.get(shardOf(term, m.shards))[term];
                decoded.set(term, raw ? decodePostings(raw) : []);
              }
              return decoded.get(term);
            });
            outcome.query = query;
            outcome.meta = m;
            return outcome;
          });
        });
      });
    }

    /* The stored sections [kind, url, title, heading, breadcrumb, text] of the given ids. */
    function docs(ids) {
      return meta().then(function (m) {
        var needed = {};
        ids.forEach(function (id) { needed[chunkOf(m.chunks, id)] = true; });
        return Promise.all(Object.keys(needed).map(function (n) {
          return once(chunks, +n, 'docs', +n).then(function (list) { return [+n, list]; });
        })).then(function (loaded) {
          var byChunk = new Map(loaded);
          return ids.map(function (id) {
            var n = chunkOf(m.chunks, id);
            return byChunk.get(n)[id - m.chunks[n]];
          });
        });
      });
    }

    return { meta: meta, search: search, docs: docs, stats: stats };
  }

  function chunkOf(starts, id) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= id) lo = mid; else hi = mid - 1;
    }
    return lo;
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
    var folded = fold(text);
    var tokens = tokenize(folded).tokens;
    var byPos = new Map();
    tokens.forEach(function (t) { if (t.kind !== 'pair') byPos.set(t.pos, t); });
    var ranges = [];
    matches.forEach(function (m) {
      for (var k = 0; k < m[1]; k++) {
        var t = byPos.get(m[0] - base + k);
        if (t) ranges.push([folded.starts[t.start], folded.ends[t.end - 1]]);
      }
    });
    return mergeRanges(ranges);
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
      var units = phrase.tokens.map(function (qt) {
        var map = new Map(), list = [];
        tokens.forEach(function (t) {
          var w = unitWeight(qt.unit, t);
          if (w > 0) list.push([t.pos, w, t]);
        });
        if (list.length) map.set(0, list);
        return map;
      });
      var occ = phraseOccurrences(phrase.tokens, units).get(0) || [];
      occ.forEach(function (o) {
        phrase.tokens.forEach(function (qt, k) {
          var list = units[k].get(0), idx = findPos(list, o[0] + qt.offset);
          var t = list[idx][2];
          ranges.push([folded.starts[t.start], folded.ends[t.end - 1]]);
        });
      });
    });
    return mergeRanges(ranges);
  }

  /* How a token of text matches a query unit (0: it does not); as expand(). */
  function unitWeight(unit, token) {
    if (unit.kind === 'cjk') return token.kind !== 'word' && token.term === unit.text ? 1 : 0;
    if (token.kind !== 'word') return 0;
    return expand(unit.text, unit.mode, [token.term]).terms.length ? 1 : 0;
  }

  var api = {
    fold: fold, foldString: foldString, tokenize: tokenize, isCjk: isCjk,
    parseQuery: parseQuery, unitTerms: unitTerms, expand: expand, needsWords: needsWords,
    decodePostings: decodePostings, decodeNorm: decodeNorm, termHash: termHash, shardOf: shardOf,
    rank: rank, createIndex: createIndex, chunkOf: chunkOf,
    escapeHtml: escapeHtml, matchRanges: matchRanges, mergeRanges: mergeRanges,
    markHtml: markHtml, snippet: snippet, queryRanges: queryRanges,
    FORMAT_VERSION: FORMAT_VERSION
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.LecternSearchEngine = api;
})(typeof self !== 'undefined' ? self : this);
