/* lectern default theme: dark-mode toggle, mobile navigation, reveal-all
 * controls and the teacher print option. No dependencies, works from file://. */
(function () {
  'use strict';
  var root = document.documentElement;
  var STORE = 'lectern-theme';

  function store(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* storage may be off */ }
  }

  /* Dark mode: follows the system until the reader chooses; the choice is remembered. */
  function systemDark() { return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches; }
  function currentTheme() { return root.getAttribute('data-theme') || (systemDark() ? 'dark' : 'light'); }
  var toggle = document.querySelector('.theme-toggle');
  if (toggle) {
    var sync = function () { toggle.setAttribute('aria-pressed', currentTheme() === 'dark' ? 'true' : 'false'); };
    sync();
    toggle.addEventListener('click', function () {
      var next = currentTheme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      store(STORE, next);
      sync();
    });
  }

  /* Navigation drawer on narrow screens. */
  var navToggle = document.querySelector('.nav-toggle');
  var nav = document.getElementById('site-nav');
  if (navToggle && nav) {
    navToggle.addEventListener('click', function () {
      var open = !document.body.classList.contains('nav-open');
      document.body.classList.toggle('nav-open', open);
      navToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) { var cur = nav.querySelector('[aria-current="page"]') || nav.querySelector('a'); if (cur) cur.focus(); }
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && document.body.classList.contains('nav-open')) {
        document.body.classList.remove('nav-open');
        navToggle.setAttribute('aria-expanded', 'false');
        navToggle.focus();
      }
    });
    var current = nav.querySelector('[aria-current="page"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: 'center' });
  }

  /* Show all / hide all answers. The <details> work without JavaScript; the
   * buttons are shown only when script runs. */
  function setAll(open) {
    var list = document.querySelectorAll('details.reveal');
    for (var i = 0; i < list.length; i++) list[i].open = open;
  }
  var controls = document.querySelectorAll('.reveal-controls');
  for (var i = 0; i < controls.length; i++) controls[i].hidden = false;
  document.addEventListener('click', function (e) {
    var t = e.target.closest ? e.target.closest('[data-reveal],[data-print]') : null;
    if (!t) return;
    if (t.hasAttribute('data-reveal')) setAll(t.getAttribute('data-reveal') === 'open');
    if (t.getAttribute('data-print') === 'answers') { root.classList.add('teacher'); setAll(true); window.print(); }
  });

  /* ?teacher (or ?answers) in the address: a teacher's copy, every answer open,
   * for screen and print. */
  var params = new URLSearchParams(window.location.search);
  if (params.has('teacher') || params.has('answers')) { root.classList.add('teacher'); setAll(true); }
  window.addEventListener('beforeprint', function () { if (root.classList.contains('teacher')) setAll(true); });
})();
