// The outbox: forms filled in without a signal, kept in this browser's IndexedDB until the
// server has confirmed each one, and the sending of them. Shared by the pages
// (static/offline.js) and the service worker (static/sw.js, for Background Sync), as
// self.PaaniOutbox.
//
// An item: {seq, key, user_id, url, enctype, page, title, fields: [[name, string | Blob, filename?]], done_at,
// shown (labels and values as the user saw them), seen_at, created_at, state, attempts, next_at, why, errors, conflict, on_conflict, receipt}.
// state: waiting | failed (422 and other refusals: kept, the user retries or discards) |
// decision (409 with a conflict: the user chooses) | login (401: kept until logged in).
// Nothing leaves the store but by `confirmed` (the server's 2xx, its redirect, or its replay
// of an earlier answer) or by the user's discard.
(function (root) {
  'use strict';
  var DB_NAME = 'paani-outbox';
  var ITEMS = 'items';
  var META = 'meta';
  var BACKOFF_FIRST_MS = 5000;
  var BACKOFF_MAX_MS = 15 * 60 * 1000;
  var dbPromise = null;

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(ITEMS)) {
          db.createObjectStore(ITEMS, { keyPath: 'seq', autoIncrement: true });
        }
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { dbPromise = null; reject(req.error); };
    });
    return dbPromise;
  }

  // One request in its own transaction; resolves once the transaction has committed.
  function tx(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var out;
        var r = fn(t.objectStore(store));
        if (r) r.onsuccess = function () { out = r.result; };
        t.oncomplete = function () { resolve(out); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  var changes = typeof BroadcastChannel === 'function' ? new BroadcastChannel('paani-outbox') : null;
  function changed() {
    if (changes) changes.postMessage('changed');
    if (typeof root.dispatchEvent === 'function' && typeof CustomEvent === 'function') {
      root.dispatchEvent(new CustomEvent('paani-outbox'));
    }
  }

  function all() {
    return tx(ITEMS, 'readonly', function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.seq - b.seq; });
    });
  }
  function get(seq) { return tx(ITEMS, 'readonly', function (s) { return s.get(seq); }); }
  function put(item) {
    return tx(ITEMS, 'readwrite', function (s) { return s.put(item); }).then(function (seq) {
      changed();
      return seq;
    });
  }
  function remove(seq) {
    return tx(ITEMS, 'readwrite', function (s) { return s.delete(seq); }).then(changed);
  }
  function meta(key) { return tx(META, 'readonly', function (s) { return s.get(key); }); }
  function setMeta(key, value) {
    return tx(META, 'readwrite', function (s) { return s.put(value, key); });
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // RFC 3339 in the device's own offset (the time the work was done, as the phone saw it).
  function rfc3339(d) {
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? '+' : '-';
    off = Math.abs(off);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' +
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) +
      sign + pad(Math.floor(off / 60)) + ':' + pad(off % 60);
  }

  // A form's fields as storable pairs (FormData itself cannot be kept in IndexedDB); the
  // CSRF token is left out (the current one is sent as a header) and the key is the item's.
  function fieldsOf(formData) {
    var out = [];
    formData.forEach(function (value, name) {
      if (name === '_csrf' || name === 'idempotency_key') return;
      if (typeof value === 'string') out.push([name, value]);
      else if (value && value.size > 0) out.push([name, value, value.name || 'photo.jpg']);
    });
    return out;
  }

  // Keep a filled-in form: resolves with the stored item.
  function keep(url, formData, extra) {
    extra = extra || {};
    var key = formData.get('idempotency_key');
    return Promise.all([meta('synced_at'), meta('user_id')]).then(function (m) {
      var seen = m[0];
      var now = new Date();
      var item = {
        user_id: m[1] || null,
        key: typeof key === 'string' && key ? key : uuid(),
        url: url,
        page: extra.page || '',
        title: extra.title || '',
        fields: fieldsOf(formData),
        enctype: extra.enctype === 'multipart' ? 'multipart' : 'urlencoded',
        done_at: rfc3339(now),
        seen_at: seen || '',
        created_at: now.toISOString(),
        state: 'waiting',
        attempts: 0,
        next_at: 0,
        why: '',
        errors: null,
        conflict: null,
        on_conflict: '',
        receipt: extra.receipt || null,
        shown: extra.shown || null
      };
      if (extra.seq) item.seq = extra.seq;
      return put(item).then(function (seq) { item.seq = seq; return item; });
    });
  }

  // As the form itself would have sent it: multipart only for a multipart form (some
  // handlers read urlencoded forms only).
  function body(item) {
    if (item.enctype !== 'multipart') {
      var q = new URLSearchParams();
      item.fields.forEach(function (f) { if (typeof f[1] === 'string') q.append(f[0], f[1]); });
      q.append('idempotency_key', item.key);
      if (item.on_conflict) q.append('on_conflict', item.on_conflict);
      return q;
    }
    var fd = new FormData();
    item.fields.forEach(function (f) {
      if (f.length > 2) fd.append(f[0], f[1], f[2]);
      else fd.append(f[0], f[1]);
    });
    fd.append('idempotency_key', item.key);
    if (item.on_conflict) fd.append('on_conflict', item.on_conflict);
    return fd;
  }

  function readProblem(r) {
    return r.text().then(function (t) {
      try { return JSON.parse(t); } catch (e) { return { detail: t.slice(0, 300) }; }
    });
  }

  // The session's CSRF token: {csrf} | {login: true} | null when the server is unreachable.
  function token() {
    return fetch('/offline/token', {
      credentials: 'same-origin', cache: 'no-store', redirect: 'manual',
      headers: { Accept: 'application/problem+json' }
    }).then(function (r) {
      if (r.status === 401 || r.type === 'opaqueredirect') return { login: true };
      if (!r.ok) return null;
      return r.json();
    }, function () { return null; });
  }

  // Send one item. Resolves with 'sent' | 'kept' | 'login' | 'network' | 'busy'.
  function sendOne(item, csrf) {
    var headers = {
      Accept: 'application/problem+json',
      'X-CSRF-Token': csrf,
      'Idempotency-Key': item.key,
      'Paani-Done-At': item.done_at
    };
    if (item.seen_at) headers['Paani-Seen-At'] = item.seen_at;
    return fetch(item.url, {
      method: 'POST', body: body(item), headers: headers, redirect: 'manual',
      credentials: 'same-origin', cache: 'no-store'
    }).then(function (r) {
      if (r.type === 'opaqueredirect' || (r.status >= 200 && r.status < 300) ||
          r.headers.get('Idempotent-Replayed') === 'true') {
        return remove(item.seq).then(function () { return 'sent'; });
      }
      item.attempts += 1;
      if (r.status === 401) {
        item.state = 'login';
        return put(item).then(function () { return 'login'; });
      }
      if (r.status >= 500 || r.status === 408 || r.status === 429) {
        return backoff(item, 'HTTP ' + r.status).then(function () { return 'busy'; });
      }
      return readProblem(r).then(function (p) {
        if (r.status === 409 && p && p.conflict) {
          item.state = 'decision';
          item.conflict = p.conflict;
          item.why = p.detail || p.title || '';
        } else {
          item.state = 'failed';
          item.errors = (p && p.errors) || null;
          item.why = (p && (p.detail || p.title)) || ('HTTP ' + r.status);
        }
        item.on_conflict = '';
        return put(item).then(function () { return 'kept'; });
      });
    }, function () {
      item.attempts += 1;
      return backoff(item, '').then(function () { return 'network'; });
    });
  }

  function backoff(item, why) {
    var wait = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * Math.pow(2, Math.min(item.attempts, 12) - 1));
    item.state = 'waiting';
    item.next_at = Date.now() + wait;
    item.why = why;
    return put(item);
  }

  function withLock(fn) {
    if (root.navigator && root.navigator.locks && root.navigator.locks.request) {
      return root.navigator.locks.request('paani-outbox-send', fn);
    }
    return fn();
  }

  // Send what waits, oldest first, one at a time; stops at the first sign the server cannot
  // be reached (the rest wait for the next try). `force` ignores the backoff (the user's
  // "send now"). Resolves with {sent, left, network, login}.
  function sendAll(force) {
    return withLock(function () {
      var result = { sent: 0, left: 0, network: false, login: false };
      return all().then(function (items) {
        var due = items.filter(function (it) {
          return (it.state === 'waiting' || it.state === 'login') && (force || !it.next_at || it.next_at <= Date.now());
        });
        if (!due.length) return result;
        return token().then(function (t) {
          if (!t) { result.network = true; return result; }
          if (t.login) { result.login = true; return markLogin(due).then(function () { return result; }); }
          // a form is sent only in the session of the user who filled it in
          due = due.filter(function (it) { return !it.user_id || it.user_id === t.user_id; });
          var i = 0;
          var next = function () {
            if (i >= due.length) return result;
            var item = due[i++];
            return sendOne(item, t.csrf).then(function (outcome) {
              if (outcome === 'sent') result.sent += 1;
              if (outcome === 'network') { result.network = true; return result; }
              if (outcome === 'login') { result.login = true; return result; }
              if (outcome === 'busy') return result;
              return next();
            });
          };
          return next();
        });
      }).then(function (res) {
        return all().then(function (items) { res.left = items.length; return res; });
      });
    });
  }

  function markLogin(items) {
    return items.reduce(function (p, it) {
      return p.then(function () { it.state = 'login'; return put(it); });
    }, Promise.resolve());
  }

  // The user's retry (after a failure, a login or a decision): back in the queue, at once.
  function retry(seq, choice) {
    return get(seq).then(function (item) {
      if (!item) return null;
      item.state = 'waiting';
      item.next_at = 0;
      item.on_conflict = choice || '';
      if (choice) item.conflict = null;
      return put(item);
    });
  }

  // Everything that waits, photos as data: URLs, as one JSON document.
  function exportAll() {
    return all().then(function (items) {
      return Promise.all(items.map(function (it) {
        return Promise.all(it.fields.map(function (f) {
          if (typeof f[1] === 'string') return { name: f[0], value: f[1] };
          return new Promise(function (resolve) {
            var rd = new FileReader();
            rd.onload = function () { resolve({ name: f[0], file: f[2], data_url: rd.result }); };
            rd.onerror = function () { resolve({ name: f[0], file: f[2], data_url: null }); };
            rd.readAsDataURL(f[1]);
          });
        })).then(function (fields) {
          return {
            idempotency_key: it.key, url: it.url, page: it.page, title: it.title,
            done_at: it.done_at, seen_at: it.seen_at, created_at: it.created_at,
            state: it.state, attempts: it.attempts, why: it.why, errors: it.errors,
            conflict: it.conflict, receipt: it.receipt, fields: fields
          };
        });
      }));
    }).then(function (items) {
      return { app: 'paani', kind: 'outbox', exported_at: new Date().toISOString(), items: items };
    });
  }

  root.PaaniOutbox = {
    all: all, get: get, put: put, remove: remove, meta: meta, setMeta: setMeta, keep: keep,
    sendAll: sendAll, retry: retry, exportAll: exportAll, uuid: uuid, rfc3339: rfc3339,
    channel: changes
  };
})(self);
