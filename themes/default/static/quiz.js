/* lectern — the quiz runtime of bank, exam and notebook pages.
 *
 * The page already holds every question as HTML (readable and printable
 * without JavaScript) and its grading data as JSON in
 * <script id="lectern-quiz-data">. This file only adds behaviour: answering,
 * grading (grade.js), feedback, score, retry, practice and exam modes, the
 * countdown, and keeping answers and progress (progress.js). It inserts text
 * with textContent only; the one HTML it inserts is the notebook's questions,
 * which the build rendered and escaped like the pages themselves. */
(function () {
  'use strict';
  if (window.performance && performance.mark) performance.mark('lectern-quiz-start');
  var page = document.querySelector('[data-quiz-page]');
  var dataEl = document.getElementById('lectern-quiz-data');
  if (!page || !dataEl || !window.Lectern || !window.Lectern.grade || !window.Lectern.progress) return;
  var G = window.Lectern.grade;
  var P = window.Lectern.progress;
  var data = JSON.parse(dataEl.textContent);
  var t = {};
  try { t = JSON.parse(document.getElementById('lectern-i18n').textContent); } catch (e) { /* keys show as themselves */ }
  var store = P.open(data.course);
  var kind = data.page; // bank | exam | notebook
  var live = page.querySelector('.quiz-live');
  var LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  function tr(key, values) {
    var s = t[key] != null ? String(t[key]) : key;
    return s.replace(/\{(\w+)\}/g, function (_, k) { return values && values[k] != null ? values[k] : ''; });
  }
  function $(sel, el) { return (el || page).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || page).querySelectorAll(sel)); }
  function announce(text) {
    if (!live) return;
    live.textContent = '';
    // A separate task, so screen readers notice the change even for the same text.
    setTimeout(function () { live.textContent = text; }, 30);
  }

  /* ---- questions on the page ---- */

  var questions = []; // { data, el }
  var byId = {};
  function register(q, el) {
    var entry = { data: q, el: el };
    questions.push(entry);
    byId[q.id] = entry;
    return entry;
  }

  /* ---- state, kept per page in storage ---- */

  var state;
  function freshState(mode) {
    var s = { v: 1, mode: mode, order: null, opts: {}, responses: {}, graded: {}, confirmed: {}, submitted: false, recorded: false, only: null, deadline: null };
    var ids = questions.map(function (q) { return q.data.id; });
    if (data.shuffle && kind === 'bank') {
      var perm = G.shuffleOrder(ids.length, []);
      s.order = perm.map(function (i) { return ids[i]; });
    } else {
      s.order = ids;
    }
    questions.forEach(function (q) {
      var d = q.data;
      if ((d.type === 'single' || d.type === 'multiple') && d.shuffle && kind !== 'exam') {
        s.opts[d.id] = G.shuffleOrder(d.options, d.pinned || []);
      }
    });
    return s;
  }
  /* A stored state may come from an older build of the page: keep what still fits. */
  function reconcile(s) {
    if (!s || s.v !== 1) return null;
    var ids = questions.map(function (q) { return q.data.id; });
    var order = (s.order || []).filter(function (id) { return byId[id]; });
    ids.forEach(function (id) { if (order.indexOf(id) < 0) order.push(id); });
    s.order = order;
    Object.keys(s.opts || {}).forEach(function (id) {
      var q = byId[id];
      if (!q || !Array.isArray(s.opts[id]) || s.opts[id].length !== q.data.options) delete s.opts[id];
    });
    ['responses', 'graded', 'confirmed'].forEach(function (k) {
      s[k] = s[k] || {};
      Object.keys(s[k]).forEach(function (id) { if (!byId[id]) delete s[k][id]; });
    });
    if (s.only) s.only = s.only.filter(function (id) { return byId[id]; });
    return s;
  }
  function save() { if (kind !== 'notebook') store.savePageState(data.key, state); }

  /* The questions of the current round: all, or the ones being retried. */
  function current() {
    return state.order.filter(function (id) { return !state.only || state.only.indexOf(id) >= 0; }).map(function (id) { return byId[id]; });
  }

  /* ---- reading and writing answers in the DOM ---- */

  function readResponse(q) {
    var el = q.el, d = q.data;
    switch (d.type) {
      case 'single': {
        var r = $('input[type=radio]:checked', el);
        return r ? Number(r.value) : null;
      }
      case 'multiple':
        return $$('input[type=checkbox]:checked', $('.q-options', el)).map(function (i) { return Number(i.value); });
      case 'true_false': {
        var tf = $('input[type=radio]:checked', el);
        return tf ? tf.value === 'true' : null;
      }
      case 'fill':
        return $$('.q-blank', el).map(function (i) { return i.value; });
      case 'numerical':
        return ($('.q-number', el) || {}).value || '';
      case 'short':
        return { text: ($('.q-text', el) || {}).value || '', confirmed: state.confirmed[d.id] ? confirmedFlags(q)[0] : null };
      case 'case': {
        var flags = state.confirmed[d.id] ? confirmedFlags(q) : null;
        return { parts: $$('textarea.q-text', el).map(function (ta, i) { return { text: ta.value, confirmed: flags ? flags[i] : null }; }) };
      }
    }
    return null;
  }

  function writeResponse(q, r) {
    var el = q.el, d = q.data;
    switch (d.type) {
      case 'single':
        $$('.q-options input', el).forEach(function (i) { i.checked = r !== null && r !== undefined && Number(i.value) === r; });
        break;
      case 'multiple':
        $$('.q-options input', el).forEach(function (i) { i.checked = Array.isArray(r) && r.indexOf(Number(i.value)) >= 0; });
        break;
      case 'true_false':
        $$('.q-options input', el).forEach(function (i) { i.checked = r !== null && r !== undefined && (i.value === 'true') === r; });
        break;
      case 'fill':
        $$('.q-blank', el).forEach(function (i, k) { i.value = Array.isArray(r) && r[k] != null ? r[k] : ''; });
        break;
      case 'numerical':
        $('.q-number', el).value = typeof r === 'string' ? r : '';
        break;
      case 'short':
        $('.q-text', el).value = r && r.text ? r.text : '';
        break;
      case 'case':
        $$('textarea.q-text', el).forEach(function (ta, i) { ta.value = r && r.parts && r.parts[i] ? r.parts[i].text || '' : ''; });
        break;
    }
  }

  function responseOf(q) {
    var r = state.responses[q.data.id];
    return r === undefined ? null : r;
  }

  function isBlank(q) {
    return G.grade(q.data, responseOf(q)).status === 'blank';
  }

  /* ---- option order and letters ---- */

  function displayLetters(q, indexes) {
    var perm = state.opts[q.data.id];
    return indexes.map(function (i) { return perm ? perm.indexOf(i) : i; }).sort(function (a, b) { return a - b; })
      .map(function (p) { return LETTERS[p]; }).join('');
  }

  function applyOptionOrder(q) {
    var d = q.data;
    if (d.type !== 'single' && d.type !== 'multiple') return;
    var ul = $('.q-options', q.el);
    var perm = state.opts[d.id] || null;
    var items = {};
    $$('.q-option', ul).forEach(function (li) { items[li.getAttribute('data-index')] = li; });
    var order = perm || Object.keys(items).map(Number).sort(function (a, b) { return a - b; });
    order.forEach(function (i, pos) {
      var li = items[i];
      if (!li) return;
      ul.appendChild(li);
      $('.q-letter', li).textContent = LETTERS[pos] + '.';
    });
    var answer = Array.isArray(d.answer) ? d.answer : [d.answer];
    var shown = $('.q-answer-letters', q.el);
    if (shown) shown.textContent = displayLetters(q, answer);
    $$('.q-feedback-list li', q.el).forEach(function (li) {
      $('.q-letter', li).textContent = displayLetters(q, [Number(li.getAttribute('data-index'))]) + '.';
    });
  }

  function applyOrder() {
    var lists = $$('.quiz-questions');
    if (lists.length !== 1) return; // exams keep their sections' order
    state.order.forEach(function (id) { lists[0].appendChild(byId[id].el); });
  }

  function renumber() {
    var n = 0;
    $$('.q').forEach(function (el) {
      if (el.hidden) return;
      n++;
      var num = $('.q-num', el);
      if (num && kind !== 'exam') num.textContent = n + '.';
    });
  }

  /* ---- grading and feedback ---- */

  function setDisabled(q, disabled) {
    $$('.q-body input, .q-body textarea', q.el).forEach(function (i) { i.disabled = disabled; });
  }

  function statusText(status) {
    return tr({ right: 'quiz_right', wrong: 'quiz_wrong', partial: 'quiz_partial', blank: 'quiz_blank' }[status]);
  }

  function fmtNum(x) { return String(Math.round(x * 100) / 100); }

  function confirmedFlags(q) {
    var d = q.data;
    var parts = d.type === 'short' ? [d.rubric] : d.parts.map(function (p) { return p.rubric; });
    return parts.map(function (rubric, i) {
      var box = $('.q-rubric[data-part="' + i + '"]', q.el);
      return rubric.keyPoints.map(function (_, k) {
        var cb = box && $('.q-kp[data-kp="' + k + '"] input.q-kp-box', box);
        return !!(cb && cb.checked);
      });
    });
  }

  /* Shows a graded question: verdict, right answer, explanation, marks on options. */
  function showGraded(q, result) {
    var el = q.el, d = q.data;
    el.classList.remove('q-status-right', 'q-status-wrong', 'q-status-partial', 'q-status-blank');
    el.classList.add('q-status-' + result.status, 'q-graded');
    setDisabled(q, true);
    var controls = $('.q-controls', el);
    if (controls) controls.hidden = true;
    var sol = $('.q-solution', el);
    sol.hidden = false;
    sol.open = true;
    var box = $('.q-result', el);
    box.hidden = false;
    box.textContent = '';
    var head = document.createElement('p');
    head.className = 'q-verdict';
    head.textContent = (result.status === 'right' ? '✓ ' : result.status === 'partial' ? '◐ ' : '✗ ') + statusText(result.status)
      + ' · ' + tr('quiz_scored', { score: fmtNum(result.score), max: fmtNum(result.max) });
    box.appendChild(head);

    if (d.type === 'single' || d.type === 'multiple') {
      var picked = d.type === 'single' ? (responseOf(q) === null ? [] : [responseOf(q)]) : (responseOf(q) || []);
      var answer = Array.isArray(d.answer) ? d.answer : [d.answer];
      $$('.q-option', el).forEach(function (li) {
        var i = Number(li.getAttribute('data-index'));
        li.classList.toggle('is-answer', answer.indexOf(i) >= 0);
        li.classList.toggle('is-picked-wrong', picked.indexOf(i) >= 0 && answer.indexOf(i) < 0);
        var fb = $('.q-option-feedback', li);
        if (fb) fb.hidden = picked.indexOf(i) < 0;
      });
      if (result.status !== 'right') addLine(box, tr('quiz_correct_answer') + '：' + displayLetters(q, answer));
      if (d.type === 'multiple' && result.status !== 'blank') {
        if (result.missed && result.missed.length && result.wrongPicks.length === 0) addLine(box, tr('quiz_missed_options') + '：' + displayLetters(q, result.missed));
        if (result.wrongPicks && result.wrongPicks.length) addLine(box, tr('quiz_wrong_options') + '：' + displayLetters(q, result.wrongPicks));
      }
    } else if (d.type === 'fill') {
      $$('.q-blank', el).forEach(function (input, i) {
        input.classList.toggle('is-right', !!result.blanks[i]);
        input.classList.toggle('is-wrong', !result.blanks[i]);
      });
    } else if (d.type === 'numerical') {
      var input = $('.q-number', el);
      input.classList.toggle('is-right', result.status === 'right');
      input.classList.toggle('is-wrong', result.status !== 'right');
      if (result.unreadable) addLine(box, tr('quiz_not_a_number'));
      if (result.status !== 'right') {
        var shown = $('.q-numbers', el);
        if (shown) addLine(box, tr('quiz_correct_answer') + '：' + shown.textContent);
      }
    } else if (d.type === 'short' || d.type === 'case') {
      showRubric(q, result, box);
    }
  }

  function addLine(box, text) {
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    return p;
  }

  /* Free answers: tick boxes on the key points (the suggestion, or what the
   * learner confirmed), a live score, and a button to confirm it. */
  function showRubric(q, result, box) {
    var d = q.data;
    var parts = d.type === 'short' ? [result] : result.parts;
    var confirmed = !!state.confirmed[d.id];
    parts.forEach(function (r, i) {
      var rub = $('.q-rubric[data-part="' + i + '"]', q.el);
      if (!rub) return;
      $$('.q-kp', rub).forEach(function (li) {
        var k = Number(li.getAttribute('data-kp'));
        var cb = $('input.q-kp-box', li);
        if (!cb) {
          var label = document.createElement('label');
          label.className = 'q-kp-check';
          cb = document.createElement('input');
          cb.type = 'checkbox';
          cb.className = 'q-kp-box';
          label.appendChild(cb);
          var span = document.createElement('span');
          span.className = 'visually-hidden';
          span.textContent = tr('quiz_covered');
          label.appendChild(span);
          li.insertBefore(label, li.firstChild);
          // The label names the point by its text.
          var text = $('.q-kp-text', li);
          if (text) { text.id = text.id || (q.el.id + '-kp-' + i + '-' + k); cb.setAttribute('aria-labelledby', text.id); }
          cb.addEventListener('change', function () { onRubricChange(q); });
        }
        cb.checked = !!r.covered[k];
        cb.disabled = confirmed;
        li.classList.toggle('is-suggested', !!r.suggested[k]);
      });
    });
    if (confirmed) {
      addLine(box, tr('quiz_confirmed', { score: fmtNum(result.score), max: fmtNum(result.max) })).className = 'q-confirmed';
      return;
    }
    addLine(box, tr('quiz_suggested')).className = 'q-hint';
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'button q-confirm';
    btn.textContent = tr('quiz_confirm_score');
    btn.addEventListener('click', function () { confirmRubric(q); });
    box.appendChild(btn);
  }

  /* The learner ticked or unticked a point: the score follows at once. */
  function onRubricChange(q) {
    var flags = confirmedFlags(q);
    var r = responseOf(q) || {};
    if (q.data.type === 'short') r = { text: r.text || '', confirmed: flags[0] };
    else r = { parts: q.data.parts.map(function (_, i) { return { text: r.parts && r.parts[i] ? r.parts[i].text : '', confirmed: flags[i] }; }) };
    state.responses[q.data.id] = r;
    save();
    var result = G.grade(q.data, r);
    var verdict = $('.q-result .q-verdict', q.el);
    if (verdict) verdict.textContent = statusText(result.status) + ' · ' + tr('quiz_scored', { score: fmtNum(result.score), max: fmtNum(result.max) });
    updateSummary();
  }

  function confirmRubric(q) {
    onRubricChange(q);
    state.confirmed[q.data.id] = true;
    var result = G.grade(q.data, responseOf(q));
    save();
    showGraded(q, result);
    record(q, result);
    announce(tr('quiz_confirmed', { score: fmtNum(result.score), max: fmtNum(result.max) }));
    if (state.recorded) recordAttempt(true);
    updateSummary();
  }

  /* Progress and the notebook: right means full marks. */
  function record(q, result) {
    if (result.status === 'blank' && kind !== 'notebook') return null;
    var change = store.recordResult(q.data.id, q.data.bank, result.status === 'right');
    if (kind === 'notebook') notebookChange(q, change);
    return change;
  }

  /* Grades one question; `quiet` when restoring a page (nothing is recorded again). */
  function gradeQuestion(q, quiet) {
    var d = q.data;
    if (!quiet) state.responses[d.id] = readResponse(q);
    var result = G.grade(d, responseOf(q));
    state.graded[d.id] = true;
    showGraded(q, result);
    if (!quiet && (d.type !== 'short' && d.type !== 'case')) record(q, result);
    return result;
  }

  function results() {
    return current().map(function (q) { return G.grade(q.data, responseOf(q)); });
  }

  function allResults() {
    // Questions outside a retry round keep the result they had.
    return state.order.map(function (id) { return G.grade(byId[id].data, responseOf(byId[id])); });
  }

  function recordAttempt(replace) {
    var s = G.summarize(allResults(), data.passMark);
    store.recordAttempt(data.key, { title: data.title, url: data.url, kind: kind, percent: s.percent, score: s.score, max: s.max, replace: !!replace });
  }

  /* ---- summary, counters, buttons ---- */

  function updateSummary() {
    var answered = current().filter(function (q) { return !isBlank(q); }).length;
    var counter = $('.quiz-answered');
    if (counter) counter.textContent = tr('quiz_answered', { n: answered, total: current().length });
    var record = $('.quiz-record');
    if (record && kind !== 'notebook') {
      var sum = store.bankSummary(data.key);
      record.textContent = sum.attempts ? tr('quiz_best_last', { best: sum.best, last: sum.last, n: sum.attempts }) : '';
    }
    var done = current().every(function (q) { return state.graded[q.data.id]; });
    var summary = $('.quiz-summary');
    var submit = $('[data-action="submit"]');
    if (submit) submit.hidden = done;
    var retryWrong = $('[data-action="retry-wrong"]');
    var retryAll = $('[data-action="retry-all"]');
    if (!summary) return;
    if (!done) { summary.hidden = true; if (retryWrong) retryWrong.hidden = true; if (retryAll) retryAll.hidden = true; return; }
    var s = G.summarize(allResults(), data.passMark);
    summary.hidden = false;
    $('.quiz-score', summary).textContent = tr('quiz_result_line', { score: fmtNum(s.score), max: fmtNum(s.max), percent: s.percent, right: s.right, count: s.count });
    var verdict = $('.quiz-verdict', summary);
    verdict.textContent = tr(s.passed ? 'quiz_passed' : 'quiz_failed', { n: data.passMark });
    summary.classList.toggle('is-passed', s.passed);
    summary.classList.toggle('is-failed', !s.passed);
    var anyWrong = state.order.some(function (id) { return G.grade(byId[id].data, responseOf(byId[id])).status !== 'right'; });
    if (retryWrong) retryWrong.hidden = !anyWrong;
    if (retryAll) retryAll.hidden = false;
  }

  function finishIfDone(focus) {
    var done = current().every(function (q) { return state.graded[q.data.id]; });
    if (!done) return;
    if (!state.recorded) {
      state.recorded = true;
      state.submitted = true;
      stopTimer();
      recordAttempt(false);
      save();
    }
    updateSummary();
    var s = G.summarize(allResults(), data.passMark);
    announce(tr('quiz_result_line', { score: fmtNum(s.score), max: fmtNum(s.max), percent: s.percent, right: s.right, count: s.count }) + ' '
      + tr(s.passed ? 'quiz_passed' : 'quiz_failed', { n: data.passMark }));
    if (focus) { var summary = $('.quiz-summary'); if (summary) summary.focus(); }
  }

  function submitAll(force) {
    var unanswered = current().filter(function (q) { return !state.graded[q.data.id] && isBlank(q); }).length;
    if (!force && unanswered > 0 && !window.confirm(tr('quiz_submit_confirm', { n: unanswered }))) return;
    current().forEach(function (q) { if (!state.graded[q.data.id]) gradeQuestion(q, false); });
    save();
    finishIfDone(true);
  }

  /* ---- modes ---- */

  function applyMode() {
    page.setAttribute('data-mode', state.mode);
    current().forEach(function (q) {
      var controls = $('.q-controls', q.el);
      if (controls) controls.hidden = state.mode !== 'practice' || !!state.graded[q.data.id];
      var sol = $('.q-solution', q.el);
      // The answers stay in the page for readers without JavaScript; here they wait for grading.
      if (sol && !state.graded[q.data.id]) { sol.hidden = true; sol.open = false; }
    });
    var radios = $$('input[name="quiz-mode"]');
    radios.forEach(function (r) { r.checked = r.value === state.mode; });
    updateTimer();
  }

  /* ---- countdown (exam mode with a time limit) ---- */

  var ticking = null;
  function timeLimit() { return state.mode === 'exam' && data.timeLimit ? data.timeLimit : 0; }
  function startTimerIfNeeded() {
    if (!timeLimit() || state.deadline || state.submitted) return;
    state.deadline = Date.now() + timeLimit() * 60000;
    save();
    updateTimer();
  }
  function stopTimer() {
    if (ticking) { clearInterval(ticking); ticking = null; }
    var el = $('.quiz-timer');
    if (el) el.hidden = true;
  }
  function updateTimer() {
    var el = $('.quiz-timer');
    if (!el) return;
    if (!timeLimit() || !state.deadline || state.submitted) { stopTimer(); return; }
    el.hidden = false;
    function tick() {
      var left = Math.max(0, state.deadline - Date.now());
      var m = Math.floor(left / 60000), s = Math.floor(left % 60000 / 1000);
      el.textContent = tr('quiz_time_left', { t: m + ':' + (s < 10 ? '0' : '') + s });
      el.classList.toggle('is-low', left < 5 * 60000);
      if (left <= 0) {
        stopTimer();
        announce(tr('quiz_time_up'));
        submitAll(true);
      }
    }
    tick();
    if (!ticking && state.deadline && !state.submitted) ticking = setInterval(tick, 1000);
  }

  /* ---- retry and reset ---- */

  function clearQuestion(q) {
    var el = q.el;
    delete state.responses[q.data.id];
    delete state.graded[q.data.id];
    delete state.confirmed[q.data.id];
    el.classList.remove('q-status-right', 'q-status-wrong', 'q-status-partial', 'q-status-blank', 'q-graded');
    setDisabled(q, false);
    writeResponse(q, null);
    var box = $('.q-result', el);
    box.hidden = true;
    box.textContent = '';
    $$('.q-option', el).forEach(function (li) { li.classList.remove('is-answer', 'is-picked-wrong'); });
    $$('.q-option-feedback', el).forEach(function (p) { p.hidden = true; });
    $$('.q-blank', el).forEach(function (i) { i.classList.remove('is-right', 'is-wrong'); });
    $$('.q-kp-check', el).forEach(function (l) { l.parentNode.removeChild(l); });
    $$('.q-kp', el).forEach(function (li) { li.classList.remove('is-suggested'); });
  }

  function restart(onlyWrong) {
    var wrong = state.order.filter(function (id) { return G.grade(byId[id].data, responseOf(byId[id])).status !== 'right'; });
    var mode = state.mode;
    var keep = state;
    state = freshState(mode);
    if (onlyWrong) {
      // Right answers stay, and count in the score of the round.
      state.only = wrong;
      state.order = keep.order;
      keep.order.forEach(function (id) {
        if (wrong.indexOf(id) < 0) {
          state.responses[id] = keep.responses[id];
          state.graded[id] = true;
          if (keep.confirmed[id]) state.confirmed[id] = true;
        }
      });
      // A fresh shuffle of the questions being retried, in the places they had.
      var slots = keep.order.map(function (id, i) { return wrong.indexOf(id) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; });
      var perm = data.shuffle ? G.shuffleOrder(wrong.length, []) : wrong.map(function (_, i) { return i; });
      slots.forEach(function (slot, k) { state.order[slot] = wrong[perm[k]]; });
    }
    state.order.forEach(function (id) {
      var q = byId[id];
      if (!onlyWrong || wrong.indexOf(id) >= 0) clearQuestion(q);
      q.el.hidden = !!(state.only && state.only.indexOf(id) < 0);
    });
    save();
    render();
    var first = current()[0];
    if (first) { var input = $('input, textarea', first.el); if (input) input.focus(); }
  }

  /* ---- putting it together ---- */

  function render() {
    applyOrder();
    questions.forEach(function (q) { applyOptionOrder(q); });
    questions.forEach(function (q) {
      q.el.hidden = !!(state.only && state.only.indexOf(q.data.id) < 0);
      if (state.responses[q.data.id] !== undefined) writeResponse(q, state.responses[q.data.id]);
    });
    renumber();
    applyMode();
    state.order.forEach(function (id) {
      var q = byId[id];
      if (state.graded[id]) showGraded(q, G.grade(q.data, responseOf(q)));
    });
    updateSummary();
  }

  function onInput(e) {
    var qel = e.target.closest && e.target.closest('.q');
    if (!qel || !byId[qel.getAttribute('data-qid')]) return;
    if (e.target.classList.contains('q-kp-box')) return;
    var q = byId[qel.getAttribute('data-qid')];
    if (state.graded[q.data.id]) return;
    state.responses[q.data.id] = readResponse(q);
    startTimerIfNeeded();
    save();
    updateSummary();
  }

  function onClick(e) {
    var btn = e.target.closest && e.target.closest('button[data-action]');
    if (!btn || !page.contains(btn)) return;
    var action = btn.getAttribute('data-action');
    if (action === 'check') {
      var q = byId[btn.closest('.q').getAttribute('data-qid')];
      var result = gradeQuestion(q, false);
      save();
      announce(tr('quiz_question_n', { n: ($('.q-num', q.el) || {}).textContent || '' }).replace(/\.$/, '') + ' ' + statusText(result.status)
        + ' · ' + tr('quiz_scored', { score: fmtNum(result.score), max: fmtNum(result.max) }));
      var focusTarget = $('.q-confirm', q.el) || $('.q-result', q.el);
      if (focusTarget) { focusTarget.tabIndex = focusTarget.tabIndex < 0 ? -1 : focusTarget.tabIndex; focusTarget.focus(); }
      if (kind !== 'notebook') finishIfDone(false);
      updateSummary();
    } else if (action === 'submit') {
      submitAll(false);
    } else if (action === 'retry-wrong') {
      restart(true);
    } else if (action === 'retry-all') {
      restart(false);
    } else if (action === 'reset') {
      if (window.confirm(tr('quiz_reset_page_confirm'))) { store.clearPageState(data.key); state = freshState(state.mode); questions.forEach(clearQuestion); save(); render(); }
    } else if (action === 'reset-progress') {
      if (window.confirm(tr('quiz_reset_all_confirm'))) { store.reset(); window.location.reload(); }
    }
  }

  function bootQuizPage() {
    $$('.q').forEach(function (el, i) {
      var d = data.questions[i];
      if (d && d.id === el.getAttribute('data-qid')) register(d, el);
    });
    var mode = kind === 'exam' ? 'exam' : 'practice';
    state = reconcile(store.pageState(data.key)) || freshState(mode);
    if (kind === 'exam') state.mode = 'exam';
    $$('.quiz-toolbar, .quiz-actions').forEach(function (el) { el.hidden = false; });
    $$('input[name="quiz-mode"]').forEach(function (r) {
      r.addEventListener('change', function () {
        if (!r.checked) return;
        state.mode = r.value;
        save();
        applyMode();
        updateSummary();
      });
    });
    page.addEventListener('input', onInput);
    page.addEventListener('change', onInput);
    page.addEventListener('click', onClick);
    render();
    if (state.deadline && !state.submitted && Date.now() >= state.deadline) { announce(tr('quiz_time_up')); submitAll(true); }
  }

  /* ---- the notebook (错题本) ---- */

  function notebookChange(q, change) {
    var info = $('.nb-info', q.el);
    if (change === 'removed') {
      q.el.classList.add('nb-removed');
      if (info) info.textContent = tr('quiz_notebook_removed');
      announce(tr('quiz_notebook_removed'));
    } else if (info) {
      var e = store.notebook()[q.data.id];
      if (e) info.textContent = tr('quiz_notebook_wrong_times', { n: e.wrong }) + ' · ' + tr('quiz_notebook_streak', { n: P.RIGHT_TO_LEAVE - e.streak });
    }
    // Let the learner try again right away.
    var again = $('.nb-again', q.el);
    if (!again && change !== 'removed') {
      again = document.createElement('button');
      again.type = 'button';
      again.className = 'button button-secondary nb-again';
      again.textContent = tr('quiz_notebook_retry');
      again.addEventListener('click', function () {
        clearQuestion(q); // empties the result box, this button with it
        $('.q-controls', q.el).hidden = false;
        $('.q-solution', q.el).hidden = true;
        var input = $('input, textarea', q.el);
        if (input) input.focus();
      });
      $('.q-result', q.el).appendChild(again);
    }
  }

  function bootNotebook(ready) {
    state = { v: 1, mode: 'practice', order: [], opts: {}, responses: {}, graded: {}, confirmed: {}, submitted: false, recorded: false, only: null, deadline: null };
    var entries = store.notebook();
    var ids = Object.keys(entries).sort(function (a, b) { return (entries[b].at || 0) - (entries[a].at || 0); });
    var banks = {};
    data.banks.forEach(function (b) { banks[b.key] = b; });
    var needed = [];
    ids.forEach(function (id) { var b = entries[id].bank; if (banks[b] && needed.indexOf(b) < 0) needed.push(b); });
    var list = $('.notebook-questions');
    var pending = needed.length;
    function done() {
      var loaded = window.LecternBanks || {};
      ids.forEach(function (id) {
        var bank = loaded[entries[id].bank];
        if (!bank) return;
        var d = bank.questions.filter(function (x) { return x.id === id; })[0];
        if (!d) return;
        var holder = document.createElement('template');
        holder.innerHTML = d.html;
        var el = holder.content.firstElementChild;
        if (!el) return;
        var meta = document.createElement('p');
        meta.className = 'nb-meta';
        var link = document.createElement('a');
        link.href = bank.url + '#q-' + id;
        link.textContent = tr('quiz_notebook_from', { title: bank.title });
        meta.appendChild(link);
        var info = document.createElement('span');
        info.className = 'nb-info';
        info.textContent = ' ' + tr('quiz_notebook_wrong_times', { n: entries[id].wrong }) + ' · ' + tr('quiz_notebook_streak', { n: P.RIGHT_TO_LEAVE - (entries[id].streak || 0) });
        meta.appendChild(info);
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'button button-quiet nb-remove';
        remove.textContent = tr('quiz_notebook_remove');
        remove.addEventListener('click', function () {
          store.removeFromNotebook(id);
          el.parentNode.removeChild(el);
          state.order = state.order.filter(function (x) { return x !== id; });
          countLine();
        });
        meta.appendChild(remove);
        el.insertBefore(meta, el.firstChild);
        list.appendChild(el);
        register(d, el);
        state.order.push(id);
      });
      $$('.q-controls', list).forEach(function (c) { c.hidden = false; });
      $$('.q-solution', list).forEach(function (s) { s.hidden = true; });
      renumber();
      countLine();
      var actions = $('.quiz-actions');
      if (actions) actions.hidden = false;
      var submit = $('[data-action="submit"]');
      if (submit) submit.hidden = true;
      page.addEventListener('input', onInput);
      page.addEventListener('change', onInput);
      page.addEventListener('click', onClick);
      ready();
    }
    function countLine() {
      var n = state.order.length;
      var count = $('.notebook-count');
      count.hidden = n === 0;
      count.textContent = tr('quiz_notebook_count', { n: n });
      $('.notebook-empty').hidden = n > 0;
    }
    if (pending === 0) { done(); return; }
    needed.forEach(function (key) {
      var s = document.createElement('script');
      s.src = (document.documentElement.getAttribute('data-root') || '') + banks[key].script;
      s.onload = s.onerror = function () { if (--pending === 0) done(); };
      document.body.appendChild(s);
    });
  }

  function ready() {
    page.setAttribute('data-ready', 'true');
    // For bench/quiz: how long after navigation the page answers to input.
    if (window.performance && performance.mark) performance.mark('lectern-quiz-ready');
  }
  if (kind === 'notebook') bootNotebook(ready);
  else { bootQuizPage(); ready(); }
})();
