/* lectern search UI: the search box in every page's header (results as you
 * type, `/` to focus, arrows and Enter), the full results page (search.html),
 * and highlighting of the query on the page a result opens.
 *
 * Works from file://: the index is a set of scripts under search/ that call
 * __lecternSearch.register(...) when loaded by a <script> element (fetch()
 * and module imports are blocked on file://). The matching and ranking live
 * in search-engine.js (pure, tested in Node); this file only touches the DOM. */
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement.getAttribute('data-root') || '';
  var DROPDOWN_RESULTS = 8;
  var PAGE_RESULTS = 20;
  /* Only show "loading" if a search takes longer than this, so a warm index never flickers. */
  var LOADING_DELAY_MS = 200;

  // ---- UI strings ------------------------------------------------------------

  /* Fallbacks for a page whose template did not embed the i18n map. */
  var FALLBACK = {
    search_loading: 'Loading the search index…',
    search_error: 'The search index could not be loaded.',
    search_no_results: 'No results for “{query}”.',
    search_count: '{count} results',
    search_partial: 'No exact matches; showing partial matches.',
    search_also: 'Also searched: {terms}',
    search_truncated: 'Some word fragments matched too many words; the rarest were left out.',
    search_all_results: 'See all {count} results',
    search_more: 'Show more results',
    search_highlighting: 'Highlighted: {query}',
    search_highlight_clear: 'Clear highlights',
    search_kind_page: 'Page', search_kind_section: 'Section', search_kind_case: 'Case study',
    search_kind_qa: 'Q&A', search_kind_question: 'Question'
  };
  var strings = (function () {
    var el = doc.getElementById('lectern-i18n');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function t(key, vars) {
    var s = strings[key] || FALLBACK[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, name) { return vars && name in vars ? String(vars[name]) : m; });
  }

  // ---- loading scripts -------------------------------------------------------

  var pending = {};
  window.__lecternSearch = {
    register: function (kind, number, payload) {
      var key = kind + ':' + number;
      if (pending[key]) { pending[key].resolve(payload); delete pending[key]; }
    },
    // The whole query path without the DOM, for bench/search_bench.mjs.
    query: function (text, from, to) { return query(text, from, to); }
  };

  function addScript(src, onload, onerror) {
    var s = doc.createElement('script');
    s.src = src;
    s.charset = 'utf-8';
    s.async = true;
    s.onload = function () { s.remove(); onload(); };
    s.onerror = function () { s.remove(); onerror(new Error('cannot load ' + src)); };
    doc.head.appendChild(s);
  }

  var build = '';
  function loadIndexFile(kind, number) {
    return new Promise(function (resolve, reject) {
      var key = kind + ':' + number;
      pending[key] = { resolve: resolve };
      var name = kind === 'meta' ? 'meta.js' : kind + '-' + number + '.js';
      // The build id keeps a cached file of an older build from mixing with a newer meta.js.
      var src = root + 'search/' + name + (build && kind !== 'meta' ? '?v=' + build : '');
      addScript(src, function () {
        if (pending[key]) { delete pending[key]; reject(new Error(src + ' did not register')); }
      }, function (e) { delete pending[key]; reject(e); });
    });
  }

  var enginePromise = null;
  function engine() {
    if (!enginePromise) {
      enginePromise = window.LecternSearchEngine ? Promise.resolve(window.LecternSearchEngine) : new Promise(function (resolve, reject) {
        addScript(root + 'static/search-engine.js', function () { resolve(window.LecternSearchEngine); }, reject);
      });
      enginePromise.catch(function () { enginePromise = null; });
    }
    return enginePromise;
  }

  var indexPromise = null;
  function index() {
    if (!indexPromise) {
      // meta.js does not need the engine: both load at once.
      var early = loadIndexFile('meta', 0);
      early.catch(function () {});
      indexPromise = engine().then(function (E) {
        var idx = E.createIndex(function (kind, n) {
          if (kind === 'meta' && early) { var p = early; early = null; return p; }
          return loadIndexFile(kind, n);
        });
        return idx.meta().then(function (m) { build = m.build; return idx; });
      });
      indexPromise.catch(function () { indexPromise = null; });
    }
    return indexPromise;
  }

  // ---- results -----------------------------------------------------------------

  /* Runs a query and fetches the stored sections of hits[from, to):
   * resolves to {outcome, items: [{href, kind, titleHtml, crumbs, snippetHtml}]}. */
  function query(text, from, to) {
    return Promise.all([engine(), index()]).then(function (both) {
      var E = both[0], idx = both[1];
      // Asking for the first `to` results lets a common word stop at its head.
      return idx.search(text, to).then(function (outcome) {
        var hits = outcome.hits.slice(from, to);
        return idx.docs(hits.map(function (h) { return h.doc; })).then(function (stored) {
          var bases = outcome.meta.bases;
          var items = hits.map(function (hit, k) { return describe(E, text, hit, stored[k], bases); });
          return { outcome: outcome, items: items };
        });
      });
    });
  }

  function describe(E, text, hit, stored, bases) {
    var kind = stored[0], url = stored[1], title = stored[2], heading = stored[3], crumbs = stored[4], body = stored[5];
    function field(lo, hi) { return hit.matches.filter(function (m) { return m[0] >= lo && m[0] < hi; }); }
    var shown = heading || title;
    var shownBase = heading ? bases[1] : bases[0];
    var titleHtml = E.markHtml(shown, E.matchRanges(shown, field(shownBase, heading ? bases[2] : bases[1]), shownBase), 0, shown.length);
    var bodyRanges = E.matchRanges(body, field(bases[2], Infinity), bases[2]);
    return {
      href: resultHref(url, text),
      kind: kind,
      titleHtml: titleHtml,
      crumbs: crumbs.join(' › '),
      snippetHtml: E.snippet(body, bodyRanges, 120)
    };
  }

  /* The number of results as shown: "1200+" when only a lower bound is known
   * (several partial-word expansions answered from their heads). */
  function countText(outcome) {
    return outcome.total + (outcome.totalExact ? '' : '+');
  }

  /* The link to a result, carrying the query so the page can highlight it. */
  function resultHref(url, q) {
    var hash = '', i = url.indexOf('#');
    if (i >= 0) { hash = url.slice(i); url = url.slice(0, i); }
    return root + url + (url.indexOf('?') >= 0 ? '&' : '?') + 'highlight=' + encodeURIComponent(q.trim()) + hash;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function itemHtml(item, id) {
    return '<li class="lectern-result" role="option" aria-selected="false"' + (id ? ' id="' + id + '"' : '') + '>' +
      '<a class="lectern-result__link" href="' + esc(item.href) + '" tabindex="-1">' +
      '<span class="lectern-result__head">' +
      '<span class="lectern-result__kind lectern-result__kind--' + esc(item.kind) + '">' + esc(t('search_kind_' + item.kind)) + '</span>' +
      '<span class="lectern-result__title">' + item.titleHtml + '</span></span>' +
      (item.crumbs ? '<span class="lectern-result__crumbs">' + esc(item.crumbs) + '</span>' : '') +
      (item.snippetHtml ? '<span class="lectern-result__snippet">' + item.snippetHtml + '</span>' : '') +
      '</a></li>';
  }

  function notes(outcome) {
    var out = [];
    if (outcome.partial && outcome.hits.length) out.push(t('search_partial'));
    if (outcome.truncated) out.push(t('search_truncated'));
    // Synonyms (search.synonyms) the query was run with as well.
    if (outcome.also && outcome.also.length) out.push(t('search_also', { terms: outcome.also.join('、') }));
    return out;
  }

  // ---- the search box in the header --------------------------------------------

  function SearchBox(form) {
    var input = form.querySelector('input[name="q"]');
    var panel = form.querySelector('.lectern-search__panel');
    var list = form.querySelector('.lectern-search__results');
    var status = form.querySelector('.lectern-search__status');
    var more = form.querySelector('.lectern-search__all');
    var seq = 0, active = -1, count = 0, timer = 0, loadingTimer = 0;

    function open(on) {
      panel.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
      if (!on) setActive(-1);
    }

    function setActive(k) {
      var items = list.querySelectorAll('.lectern-result');
      if (active >= 0 && items[active]) items[active].setAttribute('aria-selected', 'false');
      active = k;
      if (k >= 0 && items[k]) {
        items[k].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', items[k].id);
        items[k].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function run() {
      var q = input.value;
      var mine = ++seq;
      clearTimeout(loadingTimer);
      if (!q.trim()) { open(false); list.innerHTML = ''; status.textContent = ''; return; }
      loadingTimer = setTimeout(function () {
        if (mine === seq) { status.textContent = t('search_loading'); open(true); }
      }, LOADING_DELAY_MS);
      query(q, 0, DROPDOWN_RESULTS).then(function (r) {
        if (mine !== seq) return;
        clearTimeout(loadingTimer);
        count = r.items.length;
        active = -1;
        list.innerHTML = r.items.map(function (item, k) { return itemHtml(item, 'lectern-search-option-' + k); }).join('');
        var total = r.outcome.total;
        var lines = notes(r.outcome);
        if (!r.outcome.query.phrases.length) lines = [];
        else if (!total) lines.unshift(t('search_no_results', { query: q.trim() }));
        status.textContent = lines.join(' ');
        more.hidden = total <= count;
        more.href = root + 'search.html?q=' + encodeURIComponent(q.trim());
        more.textContent = t('search_all_results', { count: countText(r.outcome) });
        // Says which query the panel shows (tests wait on it; typing may be ahead).
        panel.setAttribute('data-query', q);
        open(true);
      }, function (e) {
        if (mine !== seq) return;
        clearTimeout(loadingTimer);
        list.innerHTML = '';
        more.hidden = true;
        status.textContent = t('search_error');
        open(true);
        if (window.console) console.error(e);
      });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    // Start loading the engine and meta.js as soon as the user heads for the box.
    input.addEventListener('focus', function () {
      index().catch(function () {});
      if (input.value.trim() && list.children.length) open(true);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (panel.hidden || !count) return;
        e.preventDefault();
        var step = e.key === 'ArrowDown' ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
      } else if (e.key === 'Enter') {
        var items = list.querySelectorAll('.lectern-result__link');
        if (!panel.hidden && active >= 0 && items[active]) {
          e.preventDefault();
          window.location.href = items[active].href;
        }
        // Otherwise the form submits to the full results page.
      } else if (e.key === 'Escape') {
        if (!panel.hidden) { e.preventDefault(); open(false); } else input.blur();
      }
    });
    doc.addEventListener('click', function (e) {
      if (!form.contains(e.target)) open(false);
    });
    form.addEventListener('submit', function (e) {
      if (!input.value.trim()) e.preventDefault();
    });
    return { input: input };
  }

  // ---- the full results page (search.html) ---------------------------------------

  function ResultsPage(section) {
    var form = section.querySelector('form');
    var input = form.querySelector('input[name="q"]');
    var status = section.querySelector('.lectern-search-page__status');
    var list = section.querySelector('.lectern-search-page__results');
    var more = section.querySelector('.lectern-search-page__more');
    var q = new URLSearchParams(window.location.search).get('q') || '';
    var shown = 0, seq = 0;
    input.value = q;

    function page(reset) {
      var mine = ++seq;
      if (reset) { shown = 0; list.innerHTML = ''; }
      if (!input.value.trim()) { status.textContent = ''; more.hidden = true; return; }
      status.textContent = t('search_loading');
      var text = input.value;
      query(text, shown, shown + PAGE_RESULTS).then(function (r) {
        if (mine !== seq) return;
        var total = r.outcome.total;
        list.insertAdjacentHTML('beforeend', r.items.map(function (item) { return itemHtml(item); }).join(''));
        shown += r.items.length;
        var lines = total ? [t('search_count', { count: countText(r.outcome) })] : [t('search_no_results', { query: text.trim() })];
        status.textContent = lines.concat(notes(r.outcome)).join(' ');
        more.hidden = shown >= total;
        section.setAttribute('data-query', text);
      }, function (e) {
        if (mine !== seq) return;
        status.textContent = t('search_error');
        if (window.console) console.error(e);
      });
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set('q', input.value.trim());
      window.history.replaceState(null, '', url.href);
      page(true);
    });
    more.addEventListener('click', function () { page(false); });
    page(true);
    return { input: input };
  }

  // ---- highlighting the query on the opened page ----------------------------------

  var INLINE = /^(A|ABBR|B|BDI|BDO|CITE|CODE|DATA|DEL|DFN|EM|I|INS|KBD|LABEL|MARK|Q|RUBY|RP|RT|S|SAMP|SMALL|SPAN|STRONG|SUB|SUP|TIME|U|VAR)$/;
  var SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|INPUT|SELECT|OPTION|BUTTON|SVG|TEMPLATE|IFRAME)$/;

  /* The page's text as one string (blocks separated by a newline, so a
   * phrase never matches across two paragraphs) and its text nodes' offsets. */
  function pageText(scope) {
    var parts = [], nodes = [], length = 0, lastBlock = null;
    function blockOf(node) {
      var el = node.parentNode;
      while (el && el !== scope && INLINE.test(el.nodeName)) el = el.parentNode;
      return el;
    }
    function walk(node) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          var block = blockOf(child);
          if (block !== lastBlock) { parts.push('\n'); length++; lastBlock = block; }
          nodes.push({ node: child, start: length });
          parts.push(child.data);
          length += child.data.length;
        } else if (child.nodeType === 1) {
          if (SKIP.test(child.nodeName.toUpperCase()) || child.hasAttribute('data-search-ignore') ||
              (child.classList && (child.classList.contains('lectern-search') || child.classList.contains('lectern-highlight-bar')))) continue;
          if (child.nodeName === 'BR') { parts.push('\n'); length++; continue; }
          walk(child);
        }
      }
    }
    walk(scope);
    return { text: parts.join(''), nodes: nodes };
  }

  /* Wraps text[start, end) ranges (ascending, disjoint) in <mark> elements. */
  function wrapRanges(nodes, ranges) {
    var marks = [];
    // Per text node, its pieces; wrapped from the last so earlier offsets stay valid.
    nodes.forEach(function (n) {
      var end = n.start + n.node.data.length, pieces = [];
      ranges.forEach(function (r) {
        var s = Math.max(r[0], n.start), e = Math.min(r[1], end);
        if (e > s) pieces.push([s - n.start, e - n.start]);
      });
      for (var k = pieces.length - 1; k >= 0; k--) {
        var range = doc.createRange();
        range.setStart(n.node, pieces[k][0]);
        range.setEnd(n.node, pieces[k][1]);
        var mark = doc.createElement('mark');
        mark.className = 'lectern-highlight';
        range.surroundContents(mark);
        marks.unshift(mark);
      }
    });
    return marks;
  }

  function highlightPage() {
    var q;
    try { q = new URLSearchParams(window.location.search).get('highlight'); } catch (e) { return; }
    if (!q || !q.trim()) return;
    engine().then(function (E) {
      var scope = doc.querySelector('[data-search-scope]') || doc.getElementById('main') || doc.querySelector('main') || doc.body;
      var page = pageText(scope);
      var ranges = E.queryRanges(page.text, E.parseQuery(q));
      if (!ranges.length) return;
      var marks = wrapRanges(page.nodes, ranges);
      showHighlightBar(q, marks);
      // The browser scrolled to the #anchor already; without one, show the first match.
      if (!window.location.hash && marks[0]) marks[0].scrollIntoView({ block: 'center' });
      else if (window.location.hash) {
        var target = doc.getElementById(decodeURIComponent(window.location.hash.slice(1)));
        if (target) target.scrollIntoView();
      }
    }).catch(function (e) { if (window.console) console.error(e); });
  }

  function showHighlightBar(q, marks) {
    var bar = doc.createElement('div');
    bar.className = 'lectern-highlight-bar';
    bar.setAttribute('role', 'status');
    bar.innerHTML = '<span>' + esc(t('search_highlighting', { query: q.trim() })) + '</span> ' +
      '<button type="button" class="lectern-highlight-bar__clear">' + esc(t('search_highlight_clear')) + '</button>';
    bar.querySelector('button').addEventListener('click', function () {
      marks.forEach(function (m) {
        var parent = m.parentNode;
        while (m.firstChild) parent.insertBefore(m.firstChild, m);
        parent.removeChild(m);
        parent.normalize();
      });
      bar.remove();
      try {
        var url = new URL(window.location.href);
        url.searchParams.delete('highlight');
        window.history.replaceState(null, '', url.href);
      } catch (e) { /* file:// URLs in old browsers: leaving the parameter is harmless */ }
    });
    doc.body.appendChild(bar);
  }

  // ---- start -------------------------------------------------------------------------

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.nodeName));
  }

  function start() {
    var boxes = Array.prototype.map.call(doc.querySelectorAll('form.lectern-search'), SearchBox);
    var pageEl = doc.getElementById('lectern-search-page');
    var resultsPage = pageEl ? ResultsPage(pageEl) : null;
    var focusTarget = resultsPage ? resultsPage.input : boxes[0] && boxes[0].input;
    doc.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !focusTarget) return;
      e.preventDefault();
      focusTarget.focus();
      focusTarget.select();
    });
    highlightPage();
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})();
