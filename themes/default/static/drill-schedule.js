/* lectern flashcard drill: the schedule, as pure functions (tested in
 * tests/js/drill-schedule.test.mjs). Leitner boxes 1–5:
 * - a card never drilled is due at once (box 0);
 * - 记住了 (remembered) moves it one box up, to at most 5, and makes it due
 *   again after BOX_DAYS[box] days: 1, 2, 4, 8, 16;
 * - 没记住 (forgot) puts it back in box 1, due tomorrow;
 * - days are calendar days of the reader's clock: a card due "in 2 days"
 *   is due from midnight two days on, whatever the hour it was graded.
 * The schedule is one object { key: { box, due, reviews, lapses } } kept in
 * localStorage under `lectern:<course>:drill`. Dependency-free. */
(function (global) {
  'use strict';
  var BOX_DAYS = [0, 1, 2, 4, 8, 16];
  var TOP = BOX_DAYS.length - 1;
  var DAY = 86400000;

  /* The calendar day of `ms` (a Date.now() value) in the local time zone,
   * as a number of days since 1970-01-01. */
  function dayOf(ms, offsetMinutes) {
    var offset = offsetMinutes === undefined ? new Date(ms).getTimezoneOffset() : offsetMinutes;
    return Math.floor((ms - offset * 60000) / DAY);
  }

  function isDue(state, today) {
    return !state || !(state.due > today);
  }

  /* The new state of a card graded on `today`. */
  function grade(state, remembered, today) {
    var box = state ? state.box : 0;
    var next = remembered ? Math.min(box + 1, TOP) : 1;
    return {
      box: next,
      due: today + BOX_DAYS[next],
      reviews: (state ? state.reviews : 0) + 1,
      lapses: (state ? state.lapses : 0) + (remembered ? 0 : 1)
    };
  }

  /* The keys due on `today`, in drilling order: cards seen before first
   * (most overdue, then lowest box), then new cards in the course's order. */
  function dueKeys(keys, schedule, today) {
    var seen = [], fresh = [];
    keys.forEach(function (k, i) {
      var s = schedule[k];
      if (!s) fresh.push(k);
      else if (isDue(s, today)) seen.push({ k: k, s: s, i: i });
    });
    seen.sort(function (a, b) { return (a.s.due - b.s.due) || (a.s.box - b.s.box) || (a.i - b.i); });
    return seen.map(function (x) { return x.k; }).concat(fresh);
  }

  function countDue(keys, schedule, today) {
    var n = 0;
    keys.forEach(function (k) { if (isDue(schedule[k], today)) n++; });
    return n;
  }

  /* The earliest day a card of `keys` is due after `today` (null if none). */
  function nextDue(keys, schedule, today) {
    var best = null;
    keys.forEach(function (k) {
      var s = schedule[k];
      if (s && s.due > today && (best === null || s.due < best)) best = s.due;
    });
    return best;
  }

  /* The schedule without `keys` (all of them: a fresh start). */
  function reset(schedule, keys) {
    var out = {};
    Object.keys(schedule).forEach(function (k) { if (keys.indexOf(k) < 0) out[k] = schedule[k]; });
    return out;
  }

  /* A schedule read back from storage; anything malformed is dropped. */
  function parse(text) {
    var raw;
    try { raw = JSON.parse(text); } catch (e) { return {}; }
    var out = {};
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
    Object.keys(raw).forEach(function (k) {
      var s = raw[k];
      if (s && typeof s.box === 'number' && typeof s.due === 'number' && s.box >= 1 && s.box <= TOP && isFinite(s.due)) {
        out[k] = { box: Math.floor(s.box), due: Math.floor(s.due), reviews: s.reviews | 0, lapses: s.lapses | 0 };
      }
    });
    return out;
  }

  var api = {
    BOX_DAYS: BOX_DAYS, dayOf: dayOf, isDue: isDue, grade: grade, dueKeys: dueKeys,
    countDue: countDue, nextDue: nextDue, reset: reset, parse: parse,
    storageKey: function (course) { return 'lectern:' + course + ':drill'; }
  };
  global.LecternDrill = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof window !== 'undefined' ? window : this);
