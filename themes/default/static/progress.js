/* lectern — progress kept in the browser: answers in progress, best and last
 * score of each bank and exam, and the wrong-answer notebook (错题本).
 *
 * Everything lives in localStorage under `lectern:<course>:…`, <course> being
 * the course title: every page opened from file:// shares one origin, so two
 * courses on one disk must not mix. When
 * storage is unavailable (disabled, full, a sandboxed frame) the store keeps
 * working in memory for the page's lifetime.
 *
 * The store is pure logic over a Storage-like object, tested in Node
 * (tests/js/quiz-progress.test.mjs); the small part at the end fills the
 * progress table of the home page. */
(function (global) {
  'use strict';

  var VERSION = 1;
  /* A question leaves the notebook once answered right this many times in a row. */
  var RIGHT_TO_LEAVE = 2;

  function memoryStorage() {
    var data = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null; },
      setItem: function (k, v) { data[k] = String(v); },
      removeItem: function (k) { delete data[k]; },
      key: function (i) { return Object.keys(data)[i] || null; },
      get length() { return Object.keys(data).length; }
    };
  }

  function emptyProgress() {
    return { v: VERSION, questions: {}, pages: {}, notebook: {} };
  }

  /* Records one graded answer of question `id` (from bank `bank`): counts,
   * and the notebook rule — a question answered wrongly enters it; answered
   * right RIGHT_TO_LEAVE times in a row it leaves. Returns what happened to
   * the notebook: 'added', 'kept', 'removed' or null. */
  function applyResult(progress, id, bank, right, now) {
    var q = progress.questions[id] || (progress.questions[id] = { bank: bank, right: 0, wrong: 0 });
    q.bank = bank;
    q.last = right ? 'right' : 'wrong';
    q.at = now;
    if (right) q.right++; else q.wrong++;
    var entry = progress.notebook[id];
    if (!right) {
      if (entry) { entry.wrong++; entry.streak = 0; entry.at = now; return 'kept'; }
      progress.notebook[id] = { bank: bank, added: now, at: now, wrong: 1, streak: 0 };
      return 'added';
    }
    if (!entry) return null;
    entry.streak++;
    entry.at = now;
    if (entry.streak >= RIGHT_TO_LEAVE) { delete progress.notebook[id]; return 'removed'; }
    return 'kept';
  }

  /* Records a finished attempt of a bank or exam page (percent 0–100).
   * `info.replace` corrects the last attempt instead (a free answer's score
   * confirmed after the page was submitted). */
  function applyAttempt(progress, key, info, now) {
    var p = progress.pages[key] || (progress.pages[key] = { attempts: 0, best: null, last: null });
    p.title = info.title; p.url = info.url; p.kind = info.kind;
    if (!info.replace || p.attempts === 0) p.attempts++;
    p.last = info.percent;
    p.lastScore = info.score; p.max = info.max;
    if (p.best === null || info.percent > p.best) p.best = info.percent;
    p.at = now;
    return p;
  }

  /* Per bank: how many of its questions were ever answered, and the page's scores. */
  function bankSummary(progress, key) {
    var tried = 0, right = 0;
    Object.keys(progress.questions).forEach(function (id) {
      var q = progress.questions[id];
      if (q.bank === key) { tried++; if (q.last === 'right') right++; }
    });
    var p = progress.pages[key] || {};
    return { tried: tried, right: right, best: p.best == null ? null : p.best, last: p.last == null ? null : p.last, attempts: p.attempts || 0 };
  }

  function createStore(storage, course) {
    var prefix = 'lectern:' + course + ':';
    var store = storage;
    try {
      store.setItem(prefix + 'probe', '1');
      store.removeItem(prefix + 'probe');
    } catch (e) {
      store = memoryStorage();
    }
    function read(key, fallback) {
      try {
        var raw = store.getItem(prefix + key);
        if (raw) return JSON.parse(raw);
      } catch (e) { /* unreadable: start afresh */ }
      return fallback;
    }
    function write(key, value) {
      try { store.setItem(prefix + key, JSON.stringify(value)); return true; } catch (e) { return false; }
    }
    function progress() {
      var p = read('progress', null);
      if (!p || p.v !== VERSION) p = emptyProgress();
      return p;
    }
    return {
      progress: progress,
      /* The state of a page (answers, order, whether submitted). */
      pageState: function (key) { return read('page:' + key, null); },
      savePageState: function (key, state) { return write('page:' + key, state); },
      clearPageState: function (key) { try { store.removeItem(prefix + 'page:' + key); } catch (e) { /* ignore */ } },
      recordResult: function (id, bank, right) {
        var p = progress();
        var change = applyResult(p, id, bank, right, Date.now());
        write('progress', p);
        return change;
      },
      recordAttempt: function (key, info) {
        var p = progress();
        var page = applyAttempt(p, key, info, Date.now());
        write('progress', p);
        return page;
      },
      bankSummary: function (key) { return bankSummary(progress(), key); },
      notebook: function () { return progress().notebook; },
      removeFromNotebook: function (id) {
        var p = progress();
        delete p.notebook[id];
        write('progress', p);
      },
      /* Forgets everything of this course: scores, notebook, answers in progress. */
      reset: function () {
        var keys = [];
        try {
          for (var i = 0; i < store.length; i++) {
            var k = store.key(i);
            if (k && k.indexOf(prefix) === 0) keys.push(k);
          }
          keys.forEach(function (k) { store.removeItem(k); });
        } catch (e) { /* ignore */ }
      }
    };
  }

  function defaultStorage() {
    try { if (global.localStorage) return global.localStorage; } catch (e) { /* blocked */ }
    return memoryStorage();
  }

  var api = {
    VERSION: VERSION,
    RIGHT_TO_LEAVE: RIGHT_TO_LEAVE,
    memoryStorage: memoryStorage,
    emptyProgress: emptyProgress,
    applyResult: applyResult,
    applyAttempt: applyAttempt,
    bankSummary: bankSummary,
    createStore: createStore,
    open: function (course) { return createStore(defaultStorage(), course); }
  };

  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }
  (global.Lectern = global.Lectern || {}).progress = api;

  /* ---- the home page's progress table (partials/progress-overview.html) ---- */
  function strings() {
    try { return JSON.parse(document.getElementById('lectern-i18n').textContent); } catch (e) { return {}; }
  }
  function fmt(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (_, k) { return values[k] != null ? values[k] : ''; });
  }
  function fillOverview(box) {
    var t = strings();
    var store = api.open(box.getAttribute('data-course'));
    var tried = 0, total = 0;
    box.querySelectorAll('[data-bank]').forEach(function (row) {
      var s = store.bankSummary(row.getAttribute('data-bank'));
      var count = Number(row.getAttribute('data-count')) || 0;
      tried += Math.min(s.tried, count); total += count;
      row.querySelector('.po-tried').textContent = s.tried ? fmt(t.quiz_tried_of, { n: Math.min(s.tried, count), total: count }) : '—';
      row.querySelector('.po-best').textContent = s.best == null ? '—' : s.best + '%';
      row.querySelector('.po-last').textContent = s.last == null ? '—' : s.last + '%';
      var bar = row.querySelector('progress');
      if (bar) { bar.max = count || 1; bar.value = Math.min(s.tried, count); }
    });
    var nb = Object.keys(store.notebook()).length;
    var summary = box.querySelector('.po-summary');
    if (summary) summary.textContent = fmt(t.quiz_overview_summary, { n: tried, total: total, wrong: nb });
    return store;
  }
  function boot() {
    var box = document.querySelector('[data-lectern-overview]');
    if (!box) return;
    box.hidden = false;
    var store = fillOverview(box);
    var reset = box.querySelector('[data-action="reset-progress"]');
    if (reset) {
      reset.addEventListener('click', function () {
        if (global.confirm(strings().quiz_reset_all_confirm || 'Reset?')) { store.reset(); fillOverview(box); }
      });
    }
  }
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
    else boot();
  }
})(typeof window !== 'undefined' ? window : this);
