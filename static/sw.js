// Paani's service worker (served at /sw.js so that its scope is the whole site).
//
// - The app shell (CSS, scripts, icons, the outbox page) is kept at install.
// - Pages: network first; when the network fails, the kept copy (the pages listed by
//   /offline/data.json are kept by static/offline.js while online; a kept page is refreshed
//   each time it is opened online).
// - A form posted from a kept page that cannot reach the server is kept in the outbox
//   (static/outbox-store.js) and the browser is sent to the outbox page.
// - Background Sync ("paani-outbox") sends the outbox where the browser has it.
'use strict';
importScripts('/static/outbox-store.js');

var SHELL_CACHE = 'paani-shell-v1';
var PAGES_CACHE = 'paani-pages';
var SHELL = [
  '/static/paani.css', '/static/outbox-store.js', '/static/offline.js',
  '/static/photo-shrink.js', '/static/print.js', '/static/copy.js', '/static/favicon.svg',
  '/static/bell.svg', '/static/icons/icon-192.png', '/static/icons/icon-512.png',
  '/manifest.webmanifest'
];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return cache.add(url).catch(function () { /* kept at the next install */ });
    })).then(function () {
      // the outbox page needs a session: kept when the worker is installed after login
      return keepPage(cache, '/outbox');
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf('paani-shell-') === 0 && n !== SHELL_CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page fetched without following redirects, kept only when it really is that page.
function keepPage(cache, url) {
  return fetch(url, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' })
    .then(function (r) {
      if (r.ok && r.type === 'basic') return cache.put(url, r);
    }, function () {});
}

function keptCopy(url) {
  return caches.match(url).then(function (hit) {
    if (hit) return hit;
    var u = new URL(url);
    // the outbox page is one page whatever its query (?saved=1)
    if (u.pathname === '/outbox') return caches.match('/outbox');
    return null;
  });
}

function pathOf(url) {
  var u = new URL(url);
  return u.pathname + u.search;
}

function keptPages() {
  return self.PaaniOutbox.meta('pages').then(function (p) { return p || []; });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === 'GET' && url.pathname.indexOf('/static/') === 0) {
    // the shell: the kept copy at once, refreshed behind it
    event.respondWith(caches.match(req).then(function (hit) {
      var fresh = fetch(req).then(function (r) {
        if (r.ok) {
          var copy = r.clone();
          caches.open(SHELL_CACHE).then(function (c) { c.put(req, copy); });
        }
        return r;
      });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    }));
    return;
  }
  if (req.method === 'GET' && req.mode === 'navigate') {
    event.respondWith(fetch(req).then(function (r) {
      if (r.ok && !r.redirected && r.type === 'basic') {
        // a kept page opened online: keep its new copy
        var copy = r.clone();
        caches.match(req.url).then(function (hit) {
          if (hit) caches.open(PAGES_CACHE).then(function (c) { c.put(req.url, copy); });
        });
      }
      return r;
    }, function (err) {
      return keptCopy(req.url).then(function (hit) {
        if (hit) return hit;
        return keptCopy(self.location.origin + '/outbox').then(function (outbox) {
          if (outbox) return outbox;
          throw err;
        });
      });
    }));
    return;
  }
  if (req.method === 'POST' && req.mode === 'navigate') {
    var copy = req.clone();
    event.respondWith(fetch(req).catch(function (err) {
      // no signal: a form from a kept page waits in the outbox
      var from = req.referrer ? pathOf(req.referrer) : '';
      return keptPages().then(function (pages) {
        if (pages.indexOf(from) < 0 || url.pathname === '/login' || url.pathname === '/logout') throw err;
        return copy.formData().then(function (fd) {
          var multipart = /multipart/i.test(req.headers.get('Content-Type') || '');
          return self.PaaniOutbox.keep(url.pathname + url.search, fd, {
            page: from, enctype: multipart ? 'multipart' : 'urlencoded'
          });
        }).then(function () {
          if (self.registration.sync) self.registration.sync.register('paani-outbox').catch(function () {});
          return Response.redirect('/outbox?saved=1', 303);
        });
      });
    }));
  }
});

self.addEventListener('sync', function (event) {
  if (event.tag === 'paani-outbox') {
    event.waitUntil(self.PaaniOutbox.sendAll(false).then(function (res) {
      // the browser tries the sync again later while the server cannot be reached
      if (res.network) throw new Error('no connection');
    }));
  }
});

self.addEventListener('message', function (event) {
  if (event.data === 'send') event.waitUntil(self.PaaniOutbox.sendAll(false));
});
