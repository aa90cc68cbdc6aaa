/* lectern flashcard drill, the page's side: drill.html shows one due card
 * at a time (?chapter=<slug> or ?page=<url> narrows the deck), and the home
 * page counts the cards due per chapter. Keyboard: space shows the answer,
 * 1 = 记住了, 2 = 没记住. The schedule is drill-schedule.js's. Works from
 * file:// (the cards are in the page). Dependency-free. */
(function () {
  'use strict';
  var D = window.LecternDrill;
  if (!D) return;
  var root = document.documentElement.getAttribute('data-root') || '';
  var strings = (function () {
    var el = document.getElementById('lectern-i18n');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function say(key, fallback, values) {
    var text = strings[key] || fallback;
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values && values[k] !== undefined ? values[k] : m; });
  }
  function data(id) {
    var el = document.getElementById(id);
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  }
  var box = document.querySelector('[data-drill-course]');
  if (!box) return;
  var storageKey = D.storageKey(box.getAttribute('data-drill-course'));
  function load() {
    try { return D.parse(localStorage.getItem(storageKey) || '{}'); } catch (e) { return {}; }
  }
  function save(schedule) {
    try { localStorage.setItem(storageKey, JSON.stringify(schedule)); } catch (e) { /* storage off: the drill still runs */ }
  }
  function today() { return D.dayOf(Date.now()); }
  function dayText(day) {
    if (day === null) return '—';
    var d = new Date(day * 86400000);
    try { return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()).toLocaleDateString(document.documentElement.lang || undefined); } catch (e) { return d.toISOString().slice(0, 10); }
  }

  /* The home page: due cards per chapter. */
  var index = data('drill-index');
  if (index) {
    var schedule = load(), t = today(), all = [];
    index.forEach(function (c) {
      all = all.concat(c.keys);
      var out = box.querySelector('[data-drill-count="' + c.slug + '"]');
      if (out) out.textContent = say('drill_due_count', '{due} of {total} cards due today', { due: D.countDue(c.keys, schedule, t), total: c.keys.length });
    });
    var total = box.querySelector('[data-drill-count=""]');
    if (total) total.textContent = say('drill_due_count', '{due} of {total} cards due today', { due: D.countDue(all, schedule, t), total: all.length });
    return;
  }

  /* drill.html */
  var cards = data('drill-cards') || [];
  var params = new URLSearchParams(location.search);
  var select = box.querySelector('#drill-chapter');
  var card = box.querySelector('.drill-card');
  var countLine = box.querySelector('.drill-count');
  var source = box.querySelector('.drill-source');
  var question = box.querySelector('.drill-question');
  var answer = box.querySelector('.drill-answer');
  var reveal = box.querySelector('.drill-reveal');
  var yes = box.querySelector('.drill-yes');
  var no = box.querySelector('.drill-no');
  var empty = box.querySelector('.drill-empty');
  var resetButton = box.querySelector('.drill-reset');
  var byKey = {};
  cards.forEach(function (c) { byKey[c.key] = c; });
  var deck = [], queue = [], current = null, revealed = false;

  function chooseDeck() {
    var chapter = select ? select.value : '';
    var page = params.get('page');
    deck = cards.filter(function (c) {
      if (page) return c.page === page;
      return !chapter || c.chapter === chapter;
    }).map(function (c) { return c.key; });
    queue = D.dueKeys(deck, load(), today());
    show();
  }

  function show() {
    current = queue.length ? byKey[queue[0]] : null;
    revealed = false;
    if (!current) {
      card.hidden = true;
      empty.hidden = false;
      empty.textContent = deck.length ? say('drill_done', 'No more cards due today. Next due: {when}.', { when: dayText(D.nextDue(deck, load(), today())) }) : say('drill_none', 'There are no cards to drill.');
      countLine.textContent = '';
      return;
    }
    empty.hidden = true;
    card.hidden = false;
    var state = load()[current.key];
    countLine.textContent = say('drill_card', 'Card {n} of {total} due', { n: 1, total: queue.length });
    source.textContent = current.page_title + (state ? ' · ' + say('drill_box', 'Box {box}', { box: state.box }) : '');
    question.textContent = current.question;
    answer.innerHTML = current.answer_html;
    answer.hidden = true;
    reveal.hidden = false;
    reveal.setAttribute('aria-expanded', 'false');
    yes.hidden = true;
    no.hidden = true;
    card.setAttribute('data-card', current.key);
  }

  function doReveal() {
    if (!current || revealed) return;
    revealed = true;
    answer.hidden = false;
    reveal.hidden = true;
    reveal.setAttribute('aria-expanded', 'true');
    yes.hidden = false;
    no.hidden = false;
    /* The answer takes the focus, so a screen reader reads it next (and
     * the space that revealed it cannot press a grading button). */
    answer.focus();
  }

  function doGrade(remembered) {
    if (!current || !revealed) return;
    var schedule = load();
    schedule[current.key] = D.grade(schedule[current.key], remembered, today());
    save(schedule);
    queue.shift();
    show();
    if (current) reveal.focus();
  }

  if (select) {
    var chapter = params.get('chapter');
    if (chapter) select.value = chapter;
    select.addEventListener('change', chooseDeck);
  }
  reveal.addEventListener('click', doReveal);
  yes.addEventListener('click', function () { doGrade(true); });
  no.addEventListener('click', function () { doGrade(false); });
  resetButton.addEventListener('click', function () {
    if (!window.confirm(say('drill_reset_confirm', 'Clear the schedule of these cards?'))) return;
    save(D.reset(load(), deck));
    chooseDeck();
  });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = e.target && e.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (e.key === ' ' && !revealed && current) { e.preventDefault(); doReveal(); }
    else if (e.key === '1' && revealed) { e.preventDefault(); doGrade(true); }
    else if (e.key === '2' && revealed) { e.preventDefault(); doGrade(false); }
  });
  chooseDeck();
})();
