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
  /* Pages listed in the header's panel, and per "show more" on the results page. */
  var DROPDOWN_PAGES = 5;
  var PAGE_RESULTS = 10;
  /* Best matching sections shown under each page. */
  var SECTIONS_PER_PAGE = 3;
  /* Snippet lengths (characters): short in the panel, so several pages fit. */
  var SNIPPET_BOX = 80;
  var SNIPPET_PAGE = 140;
  /* The index's kind classes in order (scoring.rs KindClass), as named in
   * the results page's URL (&kind=case) and its filter buttons. */
  var KINDS = ['text', 'case', 'qa', 'quiz'];
  /* Only show "loading" if a search takes longer than this, so a warm index never flickers. */
  var LOADING_DELAY_MS = 200;

  // ---- UI strings ------------------------------------------------------------

  /* Fallbacks for a page whose template did not embed the i18n map. */
  var FALLBACK = {
    search_loading: 'Loading the search index…',
    search_error: 'The search index could not be loaded.',
    search_no_results: 'No results for “{query}”.',
    search_count: '{pages}, {sections}', search_found: '{count}.',
    search_pages: '{count} pages', search_pages_one: '{count} page',
    search_sections: '{count} matching sections', search_sections_one: '{count} matching section',
    search_partial: 'No exact matches; showing partial matches.',
    search_also: 'Also searched: {terms}',
    search_truncated: 'Some word fragments matched too many words; the rarest were left out.',
    search_all_results: 'See all results ({count})',
    search_more: 'Show more results',
    search_highlighting: 'Highlighted: {query}',
    search_highlight_clear: 'Clear highlights',
    search_kind_text: 'Text', search_kind_case: 'Case study', search_kind_qa: 'Q&A', search_kind_quiz: 'Quiz',
    search_filter_label: 'Filter by kind', search_filter_all: 'All', search_filter_text: 'Text',
    search_filter_case: 'Case studies', search_filter_qa: 'Q&A', search_filter_quiz: 'Quizzes',
    search_no_results_kind: 'No results of this kind; choose “All” to see the others.'
  };
  var strings = (function () {
    var el = doc.getElementById('lectern-i18n');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function t(key, vars) {
    var s = strings[key] || FALLBACK[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, name) { return vars && name in vars ? String(vars[name]) : m; });
  }
  /* A count with its noun: `key_one` for exactly one (English "1 page"). */
  function tCount(key, n, exact) {
    return t(n === 1 && exact ? key + '_one' : key, { count: n + (exact ? '' : '+') });
  }

  // ---- loading scripts -------------------------------------------------------

  var pending = {};
  window.__lecternSearch = {
    register: function (kind, number, payload) {
      var key = kind + ':' + number;
      if (pending[key]) { pending[key].resolve(payload); delete pending[key]; }
    },
    // The whole query path without the DOM, for the benchmarks and the
    // browser relevance run: section by section, and by page as both lists show it.
    query: function (text, from, to) { return query(text, from, to); },
    queryPages: function (text, from, to, kind) { return queryPages(text, from, to, kind); }
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
   * resolves to {outcome, items: [{href, kind, titleHtml, crumbs, snippetHtml}]}.
   * Section by section, as ranked (bench/search_bench.mjs measures it). */
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

  /* Runs a query and groups it by page, as both lists show it: pages[from, to)
   * of those of kind `kind` (one of KINDS, or all), each with up to
   * SECTIONS_PER_PAGE of its best sections. Resolves to {grouped (the
   * engine's searchPages answer: pageCount, sectionCount, exact, kinds…),
   * outcome, pages: [{href, kind, titleHtml, crumbs, snippetHtml, sections: [item]}]}. */
  function queryPages(text, from, to, kind, snippetLength) {
    return Promise.all([engine(), index()]).then(function (both) {
      var E = both[0], idx = both[1];
      var cls = KINDS.indexOf(kind);
      var filter = cls >= 0 ? function (c) { return c === cls; } : null;
      return idx.searchPages(text, to, SECTIONS_PER_PAGE, filter).then(function (grouped) {
        var groups = grouped.pages.slice(from, to), ids = [], outcome = grouped.outcome;
        // Matches of the shown sections past those the engine marked (only these few).
        groups.forEach(function (g) {
          g.hits.forEach(function (h) { if (!h.matches && outcome.matchesOf) h.matches = outcome.matchesOf(h.doc); });
        });
        // Each page's first section names it (title, breadcrumb, address), then its hits.
        groups.forEach(function (g) {
          ids.push(g.first);
          g.hits.forEach(function (h) { ids.push(h.doc); });
        });
        return idx.docs(ids).then(function (stored) {
          var bases = grouped.outcome.meta.bases, at = 0;
          var pages = groups.map(function (g) {
            var first = stored[at];
            var hits = stored.slice(at + 1, at + 1 + g.hits.length);
            at += 1 + g.hits.length;
            return describePage(E, text, g, first, hits, bases, snippetLength || SNIPPET_BOX);
          });
          return { grouped: grouped, outcome: grouped.outcome, pages: pages };
        });
      });
    });
  }

  /* Ranges of `text` (the field of a hit's positions starting at `lo`, up
   * to `hi`) to mark. The engine works out a hit's matches for the first
   * hits it was asked for; a section further down a page's group has them
   * from outcome.matchesOf (see queryPages), or, from an engine without it,
   * is marked where the query's phrases occur in it. */
  function ranges(E, q, hit, text, lo, hi) {
    if (!hit.matches) return E.queryRanges(text, E.parseQuery(q));
    var inField = hit.matches.filter(function (m) { return m[0] >= lo && m[0] < hi; });
    return E.matchRanges(text, inField, lo);
  }

  function describe(E, text, hit, stored, bases, snippetLength) {
    var kind = stored[0], url = stored[1], title = stored[2], heading = stored[3], crumbs = stored[4], body = stored[5];
    var shown = heading || title;
    var titleRanges = heading ? ranges(E, text, hit, heading, bases[1], bases[2]) : ranges(E, text, hit, title, bases[0], bases[1]);
    return {
      href: resultHref(url, text),
      kind: kind,
      heading: heading,
      titleHtml: E.markHtml(shown, titleRanges, 0, shown.length),
      crumbs: crumbs.join(' › '),
      snippetHtml: E.snippet(body, ranges(E, text, hit, body, bases[2], Infinity), snippetLength || 120)
    };
  }

  /* One page of a grouped result. Its title is every section's title field,
   * so any hit's title matches mark it. A hit on the page's own opening
   * section (no heading) gives the page its snippet; the others are listed
   * under it as sections. */
  function describePage(E, text, group, first, stored, bases, snippetLength) {
    var title = first[2], url = first[1].split('#')[0];
    var marked = group.hits.map(function (h) { return ranges(E, text, h, title, bases[0], bases[1]); })
      .filter(function (r) { return r.length; })[0] || [];
    var crumbs = first[4].slice();
    // The breadcrumb ends with the page itself, which the title already says.
    if (crumbs.length && crumbs[crumbs.length - 1] === title) crumbs.pop();
    var page = {
      href: resultHref(url, text),
      kind: KINDS[group.kind],
      titleHtml: E.markHtml(title, marked, 0, title.length),
      crumbs: crumbs.join(' › '),
      snippetHtml: '',
      sections: []
    };
    group.hits.forEach(function (hit, k) {
      var item = describe(E, text, hit, stored[k], bases, snippetLength);
      if (!item.heading && !page.snippetHtml) { page.snippetHtml = item.snippetHtml; page.href = item.href; }
      else page.sections.push(item);
    });
    return page;
  }

  /* "12 pages, 37 sections"; "N+" for a number only known as a lower bound
   * (a common word answered from the head of its postings). */
  function countText(grouped) {
    var pages = tCount('search_pages', grouped.pageCount, grouped.exact);
    var sections = tCount('search_sections', grouped.sectionCount, grouped.exact || grouped.outcome.totalExact !== false);
    return t('search_count', { pages: pages, sections: sections });
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

  /* One page and its sections. In the header's panel (`ids` given: {page,
   * sections: [...]}) each link is an option of the listbox, the page's
   * first, so arrows walk them in reading order; on the results page they
   * are plain links. */
  function pageHtml(page, ids) {
    var option = function (id) { return ids ? ' role="option" aria-selected="false" id="' + id + '"' : ''; };
    var link = ids ? ' tabindex="-1"' : '';
    var sections = page.sections.map(function (s, k) {
      return '<li class="lectern-result__section"' + option(ids && ids.sections[k]) + '>' +
        '<a class="lectern-result__link lectern-result__link--section" href="' + esc(s.href) + '"' + link + '>' +
        '<span class="lectern-result__heading">' + s.titleHtml + '</span>' +
        (s.snippetHtml ? '<span class="lectern-result__snippet">' + s.snippetHtml + '</span>' : '') +
        '</a></li>';
    }).join('');
    return '<li class="lectern-result"' + (ids ? ' role="group" aria-labelledby="' + ids.page + '"' : '') + '>' +
      '<div class="lectern-result__page"' + option(ids && ids.page) + '>' +
      '<a class="lectern-result__link" href="' + esc(page.href) + '"' + link + '>' +
      '<span class="lectern-result__head">' +
      '<span class="lectern-result__kind lectern-result__kind--' + esc(page.kind) + '">' + esc(t('search_kind_' + page.kind)) + '</span>' +
      '<span class="lectern-result__title">' + page.titleHtml + '</span></span>' +
      (page.crumbs ? '<span class="lectern-result__crumbs">' + esc(page.crumbs) + '</span>' : '') +
      (page.snippetHtml ? '<span class="lectern-result__snippet">' + page.snippetHtml + '</span>' : '') +
      '</a></div>' +
      (sections ? '<ul class="lectern-result__sections"' + (ids ? ' role="none"' : '') + '>' + sections + '</ul>' : '') +
      '</li>';
  }

  /* Pages as list items; with `idPrefix`, as options numbered in reading order. */
  function pagesHtml(pages, idPrefix) {
    var n = 0;
    return pages.map(function (p) {
      if (!idPrefix) return pageHtml(p, null);
      var ids = { page: idPrefix + n++, sections: p.sections.map(function () { return idPrefix + n++; }) };
      return pageHtml(p, ids);
    }).join('');
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
    var seq = 0, active = -1, timer = 0, loadingTimer = 0;

    function options() { return list.querySelectorAll('[role="option"]'); }

    function open(on) {
      panel.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
      if (!on) setActive(-1);
    }

    function setActive(k) {
      var items = options();
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
      queryPages(q, 0, DROPDOWN_PAGES).then(function (r) {
        if (mine !== seq) return;
        clearTimeout(loadingTimer);
        active = -1;
        input.removeAttribute('aria-activedescendant');
        list.innerHTML = pagesHtml(r.pages, 'lectern-search-option-');
        var g = r.grouped, lines = notes(r.outcome);
        if (!r.outcome.query.phrases.length) lines = [];
        else if (!g.pageCount) lines.unshift(t('search_no_results', { query: q.trim() }));
        status.textContent = lines.join(' ');
        // The full list has more to show: more pages, or more sections of these.
        more.hidden = !g.pageCount || (g.exact && g.pageCount <= r.pages.length && g.sectionCount <= countShown(r.pages));
        more.href = root + 'search.html?q=' + encodeURIComponent(q.trim());
        more.textContent = t('search_all_results', { count: countText(g) });
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
      var count = options().length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (panel.hidden || !count) return;
        e.preventDefault();
        var step = e.key === 'ArrowDown' ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
      } else if (e.key === 'Enter') {
        var chosen = options()[active];
        if (!panel.hidden && chosen) {
          e.preventDefault();
          window.location.href = chosen.querySelector('a').href;
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

  /* Sections a list of pages shows (a page's own snippet counts as one). */
  function countShown(pages) {
    return pages.reduce(function (n, p) { return n + p.sections.length + (p.snippetHtml ? 1 : 0); }, 0);
  }

  // ---- the full results page (search.html) ---------------------------------------

  function ResultsPage(section) {
    var form = section.querySelector('form');
    var input = form.querySelector('input[name="q"]');
    var status = section.querySelector('.lectern-search-page__status');
    var kindsEl = section.querySelector('.lectern-search-page__kinds');
    var list = section.querySelector('.lectern-search-page__results');
    var more = section.querySelector('.lectern-search-page__more');
    var params = new URLSearchParams(window.location.search);
    var kind = KINDS.indexOf(params.get('kind')) >= 0 ? params.get('kind') : '';
    var shown = 0, seq = 0;
    input.value = params.get('q') || '';

    /* The address says the query and the kind, so reload and back keep both. */
    function remember() {
      var url = new URL(window.location.href);
      url.searchParams.set('q', input.value.trim());
      if (kind) url.searchParams.set('kind', kind); else url.searchParams.delete('kind');
      try { window.history.replaceState(null, '', url.href); } catch (e) { /* an old browser on file:// */ }
    }

    /* The kind buttons with their page counts ("N+" when only a lower bound
     * is known); a kind known to have nothing is disabled. */
    function showKinds(g) {
      var all = g.kinds.reduce(function (n, c) { return n + c[0]; }, 0);
      var choices = [['', all]].concat(KINDS.map(function (k, c) { return [k, g.kinds[c][0]]; }));
      kindsEl.innerHTML = choices.map(function (choice) {
        var k = choice[0], n = choice[1], pressed = k === kind;
        var none = !n && g.exact && !pressed;
        return '<button type="button" class="lectern-search-page__kind" data-kind="' + k + '" aria-pressed="' + pressed + '"' +
          (none ? ' disabled' : '') + '>' + esc(t('search_filter_' + (k || 'all'))) +
          (n || g.exact ? ' <span class="lectern-search-page__kind-count">' + n + (g.exact ? '' : '+') + '</span>' : '') +
          '</button>';
      }).join('');
      kindsEl.hidden = !all;
    }

    function page(reset) {
      var mine = ++seq;
      if (reset) { shown = 0; list.innerHTML = ''; }
      if (!input.value.trim()) { status.textContent = ''; more.hidden = true; kindsEl.hidden = true; return; }
      status.textContent = t('search_loading');
      var text = input.value;
      queryPages(text, shown, shown + PAGE_RESULTS, kind, SNIPPET_PAGE).then(function (r) {
        if (mine !== seq) return;
        var g = r.grouped;
        list.insertAdjacentHTML('beforeend', pagesHtml(r.pages, null));
        shown += r.pages.length;
        showKinds(g);
        var lines = g.pageCount ? [t('search_found', { count: countText(g) })]
          : [kind && g.outcome.hits.length ? t('search_no_results_kind') : t('search_no_results', { query: text.trim() })];
        status.textContent = lines.concat(notes(r.outcome)).join(' ');
        more.hidden = !r.pages.length || (g.exact && shown >= g.pageCount);
        section.setAttribute('data-query', text);
        section.setAttribute('data-kind', kind);
      }, function (e) {
        if (mine !== seq) return;
        status.textContent = t('search_error');
        if (window.console) console.error(e);
      });
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      remember();
      page(true);
    });
    kindsEl.addEventListener('click', function (e) {
      var button = e.target.closest('button');
      if (!button || button.disabled || button.getAttribute('data-kind') === kind) return;
      kind = button.getAttribute('data-kind');
      remember();
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
