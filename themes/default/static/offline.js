/* lectern offline site, the page's side: registers the service worker (sw.js
 * at the site's root) when the site is hosted over http(s) — never from
 * file://, where everything already works offline — and drives the home
 * page's "save for offline use" panel. Progress and the 错题本 stay in
 * localStorage; nothing here touches them. Dependency-free. */
(function () {
  'use strict';
  var proto = location.protocol;
  if ((proto !== 'http:' && proto !== 'https:') || !('serviceWorker' in navigator)) return;
  var root = document.documentElement.getAttribute('data-root') || '';
  var strings = (function () {
    var el = document.getElementById('lectern-i18n');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function say(key, fallback) { return strings[key] || fallback; }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function megabytes(bytes) {
    var mb = bytes / 1048576;
    return (mb < 10 ? mb.toFixed(1) : Math.round(mb)) + ' MB';
  }
  function when(ms) {
    try { return new Date(ms).toLocaleString(document.documentElement.lang || undefined); } catch (e) { return String(new Date(ms)); }
  }

  var panel = document.querySelector('.offline-panel');
  var statusLine = panel && panel.querySelector('.offline-status');
  var bar = panel && panel.querySelector('.offline-progress');
  var saveButton = panel && panel.querySelector('.offline-save');
  var updateButton = panel && panel.querySelector('.offline-update');
  var registration = null;
  var reloading = false;

  function show(text) { if (statusLine) statusLine.textContent = text; }
  function progress(done, count) {
    if (!bar) return;
    bar.hidden = false;
    bar.max = count;
    bar.value = done;
    bar.setAttribute('aria-valuetext', done + ' / ' + count);
  }
  function render(s) {
    if (!panel || !s) return;
    panel.hidden = false;
    panel.setAttribute('data-state', s.saved ? 'saved' : 'online');
    if (s.saved) {
      if (bar) bar.hidden = true;
      show(fill(say('offline_saved', 'Saved on this device ({size}). Last updated {when}.'), { size: megabytes(s.total), when: when(s.savedAt) }));
      if (saveButton) saveButton.hidden = true;
    } else {
      show(fill(say('offline_size', 'The whole course: {count} files, {size}.'), { count: s.count, size: megabytes(s.total) }));
      if (saveButton) { saveButton.hidden = false; saveButton.disabled = false; }
    }
    if (registration && registration.waiting) offerUpdate();
  }
  function ask(worker, type) { if (worker) worker.postMessage({ type: type }); }
  function offerUpdate() {
    if (!panel || !updateButton) return;
    panel.hidden = false;
    panel.setAttribute('data-update', 'ready');
    updateButton.hidden = false;
  }

  navigator.serviceWorker.addEventListener('message', function (event) {
    var m = event.data || {};
    if (m.type === 'lectern-status') render(m);
    else if (m.type === 'lectern-progress') {
      progress(m.done, m.count);
      show(fill(say('offline_progress_text', 'Downloading {done} of {count} files ({size})…'), { done: m.done, count: m.count, size: megabytes(m.total) }));
    } else if (m.type === 'lectern-error') {
      if (saveButton) saveButton.disabled = false;
      show(say('offline_failed', 'The download stopped. Check the connection and try again.'));
    }
  });
  navigator.serviceWorker.addEventListener('controllerchange', function () {
    /* A new build took over: show its pages, never a mix of both. */
    if (!hadController) { hadController = true; return; } /* the first worker claimed this page */
    if (reloading) return;
    reloading = true;
    location.reload();
  });

  function watch(reg) {
    registration = reg;
    if (reg.waiting) offerUpdate();
    reg.addEventListener('updatefound', function () {
      var worker = reg.installing;
      if (!worker) return;
      worker.addEventListener('statechange', function () {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate();
      });
    });
  }

  if (saveButton) saveButton.addEventListener('click', function () {
    saveButton.disabled = true;
    progress(0, 1);
    show(say('offline_starting', 'Starting the download…'));
    navigator.serviceWorker.ready.then(function (reg) { ask(reg.active, 'save'); });
  });
  if (updateButton) updateButton.addEventListener('click', function () {
    updateButton.disabled = true;
    if (registration && registration.waiting) ask(registration.waiting, 'activate');
  });

  var hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register(root + 'sw.js').then(function (reg) {
    watch(reg);
    return navigator.serviceWorker.ready;
  }).then(function (reg) {
    if (!hadController && reg.active) {
      /* This page loaded before the worker ran: keep it and what it used. */
      var urls = [location.href];
      if (window.performance && performance.getEntriesByType) {
        performance.getEntriesByType('resource').forEach(function (r) { urls.push(r.name); });
      }
      reg.active.postMessage({ type: 'remember', urls: urls });
    }
    if (panel) ask(reg.active, 'status');
  }).catch(function () {
    /* No worker (the preview server, an old browser): the panel stays hidden. */
  });
})();
