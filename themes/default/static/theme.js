/* lectern default theme: dark-mode toggle, mobile navigation, reveal-all
 * controls, the teacher print option and code copy buttons. No dependencies, works from file://. */
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

  /* Copy buttons on code blocks. They copy the code as it would be typed:
   * no line numbers (those are never text), and of a terminal session only
   * the commands, without their prompts or what they printed. The button
   * exists only when script runs; it is a real <button>, so the keyboard
   * reaches it, and print hides it (style.css). */
  var strings = (function () {
    var el = document.getElementById('lectern-i18n');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function say(key, fallback) { return strings[key] || fallback; }
  function codeText(pre) {
    var code = pre.querySelector('code') || pre;
    var text = '';
    var commands = pre.classList.contains('session') ? code.querySelectorAll('.line.command') : [];
    if (commands.length) {
      for (var k = 0; k < commands.length; k++) {
        var line = commands[k].cloneNode(true);
        var prompts = line.querySelectorAll('.prompt');
        for (var p = 0; p < prompts.length; p++) prompts[p].parentNode.removeChild(prompts[p]);
        text += line.textContent;
      }
    } else {
      text = code.textContent;
    }
    return text.replace(/\n$/, '');
  }
  /* A selected, off-screen textarea: the way to copy where the clipboard API
   * is missing or refused (an old browser, a page not in a secure context). */
  function copyBySelection(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.top = '0';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    var focused = document.activeElement;
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (focused && focused.focus) focused.focus();
    return ok;
  }
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext !== false) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return copyBySelection(text); });
    }
    return Promise.resolve(copyBySelection(text));
  }
  var blocks = document.querySelectorAll('.code-block');
  if (blocks.length) {
    var status = document.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    document.body.appendChild(status);
  }
  for (var b = 0; b < blocks.length; b++) {
    (function (block) {
      var pre = block.querySelector('pre');
      if (!pre) return;
      var button = document.createElement('button');
      var label = say('copy_code', '复制');
      button.type = 'button';
      button.className = 'code-copy';
      button.textContent = label;
      button.setAttribute('aria-label', say('copy_code_label', '复制代码'));
      var timer = null;
      button.addEventListener('click', function () {
        copyText(codeText(pre)).then(function (ok) {
          var said = ok ? say('copied', '已复制') : say('copy_failed', '复制失败');
          button.textContent = said;
          button.classList.add('done');
          status.textContent = said;
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = label;
            button.classList.remove('done');
            status.textContent = '';
          }, 2000);
        });
      });
      block.appendChild(button);
    })(blocks[b]);
  }

  /* ?teacher (or ?answers) in the address: a teacher's copy, every answer open,
   * for screen and print. */
  var params = new URLSearchParams(window.location.search);
  if (params.has('teacher') || params.has('answers')) { root.classList.add('teacher'); setAll(true); }
  window.addEventListener('beforeprint', function () { if (root.classList.contains('teacher')) setAll(true); });
})();
