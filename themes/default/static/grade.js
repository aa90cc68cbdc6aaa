/* lectern — grading of quiz answers. Pure functions, no DOM: the quiz page
 * (quiz.js) and the Node tests (tests/js/quiz-grade.test.mjs) share them.
 *
 * A question is the grading data the build writes (src/quiz/page.rs,
 * grade_data); a response is what the learner gave:
 *   single      option index (Number) or null
 *   multiple    array of option indexes
 *   true_false  true / false / null
 *   fill        array of strings, one per blank
 *   short       { text, confirmed }   confirmed: array of booleans or null
 *   case        { parts: [{ text, confirmed }] }
 *   numerical   the text typed (a number)
 * Every grader returns { score, max, status } with status one of
 * 'right' (full marks), 'partial', 'wrong' or 'blank' (nothing answered),
 * plus details for the page to show. */
(function (global) {
  'use strict';

  /* Fill answers and key points are compared after normalising: NFKC turns
   * full-width letters, digits and punctuation into their half-width forms
   * (Ａ→A, １→1, ，→,) and the ideographic space into a space; then case,
   * white space and punctuation are dropped. */
  function normalize(text) {
    return String(text == null ? '' : text)
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}]+/gu, '');
  }

  function round(x) {
    return Math.round(x * 100) / 100;
  }

  function status(score, max, blank) {
    if (blank) return 'blank';
    if (score >= max - 1e-9) return 'right';
    return score > 1e-9 ? 'partial' : 'wrong';
  }

  function gradeSingle(q, response) {
    var blank = response === null || response === undefined || response === '';
    var right = !blank && Number(response) === q.answer;
    return { score: right ? q.points : 0, max: q.points, status: blank ? 'blank' : (right ? 'right' : 'wrong') };
  }

  /* 多选题: `scoring` is all_or_nothing, per_option (each right option picked
   * earns its share, any wrong pick scores 0) or partial (an incomplete
   * selection without a wrong pick earns half: 少选得一半). */
  function gradeMultiple(q, response) {
    var picked = (Array.isArray(response) ? response : []).map(Number);
    var seen = {};
    picked = picked.filter(function (i) { if (seen[i]) return false; seen[i] = true; return true; });
    var max = q.points;
    if (picked.length === 0) return { score: 0, max: max, status: 'blank', missed: q.answer.slice(), wrongPicks: [] };
    var answer = q.answer;
    var rightPicks = picked.filter(function (i) { return answer.indexOf(i) >= 0; });
    var wrongPicks = picked.filter(function (i) { return answer.indexOf(i) < 0; });
    var missed = answer.filter(function (i) { return picked.indexOf(i) < 0; });
    var score = 0;
    if (wrongPicks.length === 0) {
      if (missed.length === 0) score = max;
      else if (q.scoring === 'per_option') score = max * rightPicks.length / answer.length;
      else if (q.scoring === 'partial') score = max / 2;
    }
    score = round(score);
    return { score: score, max: max, status: status(score, max, false), missed: missed, wrongPicks: wrongPicks };
  }

  function gradeTrueFalse(q, response) {
    if (response === null || response === undefined || response === '') return { score: 0, max: q.points, status: 'blank' };
    var given = response === true || response === 'true';
    var right = given === q.answer;
    return { score: right ? q.points : 0, max: q.points, status: right ? 'right' : 'wrong' };
  }

  function accepts(accepted, given) {
    var g = normalize(given);
    if (!g) return false;
    for (var i = 0; i < accepted.length; i++) if (normalize(accepted[i]) === g) return true;
    return false;
  }

  /* Which blank each response fills when the order is free (列举题): a
   * maximum bipartite matching, so "A, B" against blanks {A|B}, {A} still
   * finds A→second, B→first. */
  function matchAnyOrder(blanks, responses) {
    var owner = blanks.map(function () { return -1; }); // blank → response
    function tryAssign(r, visited) {
      for (var b = 0; b < blanks.length; b++) {
        if (visited[b] || !accepts(blanks[b], responses[r])) continue;
        visited[b] = true;
        if (owner[b] < 0 || tryAssign(owner[b], visited)) { owner[b] = r; return true; }
      }
      return false;
    }
    var rightByResponse = responses.map(function () { return false; });
    for (var r = 0; r < responses.length; r++) {
      if (tryAssign(r, {})) rightByResponse[r] = true;
    }
    // tryAssign may move earlier responses: recompute from the final owners.
    rightByResponse = responses.map(function () { return false; });
    owner.forEach(function (r) { if (r >= 0) rightByResponse[r] = true; });
    return rightByResponse;
  }

  /* 填空题: each blank earns an equal share of the points. */
  function gradeFill(q, response) {
    var blanks = q.answer;
    var given = blanks.map(function (_, i) { return (Array.isArray(response) && response[i] != null) ? String(response[i]) : ''; });
    var blank = given.every(function (g) { return normalize(g) === ''; });
    var right = q.anyOrder
      ? matchAnyOrder(blanks, given)
      : given.map(function (g, i) { return accepts(blanks[i], g); });
    var n = right.filter(Boolean).length;
    var score = round(q.points * n / blanks.length);
    return { score: score, max: q.points, status: status(score, q.points, blank), blanks: right };
  }

  /* ---- numbers (计算题) ---- */

  /* The number a learner typed: full-width digits and signs are read
   * (NFKC), spaces dropped, − and – taken as minus, `1,234,567.5` read with
   * thousands separators and a lone comma as a decimal comma (`3,5`).
   * null when nothing was typed, NaN when it is not a number. */
  function parseNumber(text) {
    var s = String(text == null ? '' : text).normalize('NFKC').replace(/\s+/g, '').replace(/[\u2212\u2013]/g, '-');
    if (s === '') return null;
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
    else if (/^[^.]*,[^,]*$/.test(s)) s = s.replace(',', '.');
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(s)) return NaN;
    return Number(s);
  }

  /* `q.answer` lists the accepted intervals { min, max, weight }: the
   * number earns the largest weight among those that hold it (bounds
   * included, with room for the rounding of decimals). */
  function gradeNumerical(q, response) {
    var x = parseNumber(response);
    if (x === null) return { score: 0, max: q.points, status: 'blank', value: null, unreadable: false };
    if (isNaN(x)) return { score: 0, max: q.points, status: 'wrong', value: null, unreadable: true };
    var best = 0;
    (q.answer || []).forEach(function (a) {
      var slack = 1e-9 * Math.max(1, Math.abs(a.min), Math.abs(a.max));
      if (x >= a.min - slack && x <= a.max + slack && a.weight > best) best = a.weight;
    });
    var score = round(q.points * best);
    return { score: score, max: q.points, status: status(score, q.points, false), value: x, unreadable: false };
  }

  /* ---- key points of free answers (简答题、案例分析题) ---- */

  /* Function words that carry no meaning of a key point: leaving them out
   * lets "对客户表示热情" match "热情对待客户". */
  var STOP = {};
  ('的 地 得 了 着 和 与 及 并 或 而 等 是 在 把 被 对 为 以 之 其 也 都 就 要 能 会 应 该 '
    + 'a an the of to and or in on at for with by is are be as that this it its from').split(' ')
    .forEach(function (w) { STOP[w] = true; });

  /* Units of comparison: each Han character, and each run of other letters or digits (a word). */
  function units(text) {
    var s = String(text == null ? '' : text).normalize('NFKC').toLowerCase();
    return s.match(/\p{Script=Han}|[\p{L}\p{N}]+/gu) || [];
  }

  function lcs(a, b) {
    var prev = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var cur = [0];
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /* How much of a key point a stretch of the answer holds, looking only at
   * stretches at most twice the point's length (so characters scattered over
   * a long answer never add up to a match):
   *   inOrder  share of the point's units found in the same order (LCS);
   *   anyOrder share found in any order ("对需求快速响应" for "迅速响应需求"). */
  function bestWindow(pointUnits, answerUnits) {
    var m = pointUnits.length;
    var best = { inOrder: 0, anyOrder: 0 };
    if (m === 0) return best;
    var width = 2 * m + 2;
    var need = {};
    pointUnits.forEach(function (u) { need[u] = (need[u] || 0) + 1; });
    for (var start = 0; start < answerUnits.length; start++) {
      if (!need[answerUnits[start]]) continue;
      var window = answerUnits.slice(start, start + width);
      var k = lcs(pointUnits, window);
      if (k > best.inOrder) best.inOrder = k;
      var left = Object.assign({}, need), found = 0;
      window.forEach(function (u) { if (left[u] > 0) { left[u]--; found++; } });
      if (found > best.anyOrder) best.anyOrder = found;
      if (best.inOrder === m) break;
    }
    return { inOrder: best.inOrder / m, anyOrder: best.anyOrder / m };
  }

  /* Thresholds of a fuzzy match: 60 % of the point in order, or 80 % in any order. */
  var THRESHOLD = 0.6;
  var ANY_ORDER_THRESHOLD = 0.8;

  /* For each key point: is it covered by `answer`, and how (the point's text,
   * a synonym, or enough of its characters in order)? */
  function matchKeyPoints(answer, keyPoints) {
    var norm = normalize(answer);
    var answerUnits = units(answer).filter(function (u) { return !STOP[u]; });
    return keyPoints.map(function (kp) {
      if (!norm) return { covered: false, how: null, ratio: 0 };
      var text = normalize(kp.text);
      if (text && norm.indexOf(text) >= 0) return { covered: true, how: 'text', ratio: 1 };
      var syns = kp.synonyms || [];
      for (var i = 0; i < syns.length; i++) {
        var s = normalize(syns[i]);
        if (s && norm.indexOf(s) >= 0) return { covered: true, how: 'synonym', ratio: 1, synonym: syns[i] };
      }
      var pointUnits = units(kp.text).filter(function (u) { return !STOP[u]; });
      // A one- or two-unit point is matched by its text or synonyms only: too easy to hit by chance.
      if (pointUnits.length < 3) return { covered: false, how: null, ratio: 0 };
      var w = bestWindow(pointUnits, answerUnits);
      var covered = w.inOrder >= THRESHOLD || w.anyOrder >= ANY_ORDER_THRESHOLD;
      return { covered: covered, how: covered ? 'similar' : null, ratio: round(Math.max(w.inOrder, w.anyOrder)) };
    });
  }

  /* Points earned for the key points marked covered: their weight over the
   * weight that earns full marks (the cap, if any), never above the points. */
  function rubricScore(rubric, covered, points) {
    var weight = 0;
    rubric.keyPoints.forEach(function (kp, i) { if (covered[i]) weight += kp.weight; });
    var full = rubric.full > 0 ? rubric.full : 1;
    return round(Math.min(1, weight / full) * points);
  }

  /* A free answer: the suggested coverage, the learner's confirmed one (if
   * given) and the score of the one in force. */
  function gradeRubric(rubric, points, response) {
    var text = response && response.text ? String(response.text) : '';
    var matches = matchKeyPoints(text, rubric.keyPoints);
    var suggested = matches.map(function (m) { return m.covered; });
    var confirmed = response && Array.isArray(response.confirmed) && response.confirmed.length === suggested.length
      ? response.confirmed.map(Boolean) : null;
    var covered = confirmed || suggested;
    var score = rubricScore(rubric, covered, points);
    var blank = normalize(text) === '' && !(confirmed && confirmed.some(Boolean));
    return {
      score: score, max: points, status: status(score, points, blank),
      matches: matches, suggested: suggested, covered: covered, confirmed: !!confirmed,
      suggestedScore: rubricScore(rubric, suggested, points)
    };
  }

  function gradeShort(q, response) {
    return gradeRubric(q.rubric, q.points, response);
  }

  function gradeCase(q, response) {
    var parts = (response && Array.isArray(response.parts)) ? response.parts : [];
    var results = q.parts.map(function (p, i) { return gradeRubric(p.rubric, p.points, parts[i] || null); });
    var score = round(results.reduce(function (s, r) { return s + r.score; }, 0));
    var max = round(results.reduce(function (s, r) { return s + r.max; }, 0));
    var blank = results.every(function (r) { return r.status === 'blank'; });
    return { score: score, max: max, status: status(score, max, blank), parts: results, confirmed: results.every(function (r) { return r.confirmed; }) };
  }

  var GRADERS = {
    single: gradeSingle,
    multiple: gradeMultiple,
    true_false: gradeTrueFalse,
    fill: gradeFill,
    short: gradeShort,
    case: gradeCase,
    numerical: gradeNumerical
  };

  function grade(q, response) {
    var f = GRADERS[q.type];
    if (!f) throw new Error('unknown question type ' + q.type);
    return f(q, response);
  }

  /* Total, percentage and pass/fail of a set of results. */
  function summarize(results, passMark) {
    var score = 0, max = 0, right = 0, answered = 0;
    results.forEach(function (r) {
      score += r.score; max += r.max;
      if (r.status === 'right') right++;
      if (r.status !== 'blank') answered++;
    });
    var percent = max > 0 ? Math.round(score / max * 1000) / 10 : 0;
    return { score: round(score), max: round(max), percent: percent, passed: percent >= passMark, right: right, answered: answered, count: results.length };
  }

  /* ---- shuffling ---- */

  /* A permutation of 0..n-1 that leaves pinned positions where they are. */
  function shuffleOrder(n, pinned, random) {
    random = random || Math.random;
    var order = [];
    for (var i = 0; i < n; i++) order.push(i);
    var free = order.filter(function (i) { return (pinned || []).indexOf(i) < 0; });
    var shuffled = free.slice();
    for (var j = shuffled.length - 1; j > 0; j--) {
      var k = Math.floor(random() * (j + 1));
      var t = shuffled[j]; shuffled[j] = shuffled[k]; shuffled[k] = t;
    }
    var next = 0;
    return order.map(function (i) { return (pinned || []).indexOf(i) >= 0 ? i : shuffled[next++]; });
  }

  var api = {
    normalize: normalize,
    units: units,
    gradeSingle: gradeSingle,
    gradeMultiple: gradeMultiple,
    gradeTrueFalse: gradeTrueFalse,
    gradeFill: gradeFill,
    gradeShort: gradeShort,
    gradeCase: gradeCase,
    gradeNumerical: gradeNumerical,
    parseNumber: parseNumber,
    grade: grade,
    matchKeyPoints: matchKeyPoints,
    rubricScore: rubricScore,
    summarize: summarize,
    shuffleOrder: shuffleOrder,
    THRESHOLD: THRESHOLD
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else (global.Lectern = global.Lectern || {}).grade = api;
})(typeof window !== 'undefined' ? window : this);
