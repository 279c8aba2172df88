// Working without a signal, on the page's side (progressive enhancement: without script
// every form is sent as usual). Loaded on every page of a signed-in user, after
// static/outbox-store.js.
//
// - Installs the service worker (/sw.js) and, while online, keeps what the phone needs:
//   /offline/data.json (its synced_at, the pages to keep), the user's open receipt books,
//   and the listed pages themselves (Cache Storage "paani-pages").
// - A form on a kept page submitted without a signal is kept in the outbox with a fresh
//   idempotency key and the time it was filled in; a payment from a receipt book takes the
//   book's next unused number and shows a provisional receipt.
// - Sends the outbox on load, when the connection returns, from the banner's and the
//   outbox page's "send now", and by Background Sync.
// - Fills the outbox page (/outbox) from IndexedDB.
(function () {
  'use strict';
  var O = window.PaaniOutbox;
  if (!O || !window.indexedDB || !window.fetch || !window.Promise) return;
  var REFRESH_EVERY_MS = 5 * 60 * 1000;
  var PAGES_CACHE = 'paani-pages';
  var root = document.documentElement;
  var banner = document.getElementById('outbox-banner');
  var text = function (k) { return (banner && banner.getAttribute('data-' + k)) || ''; };
  var here = location.pathname + location.search;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  // ---- the banner -------------------------------------------------------------------
  function showCount() {
    return O.all().then(function (items) {
      root.setAttribute('data-outbox-count', String(items.length));
      if (!banner) return items;
      var login = items.some(function (i) { return i.state === 'login'; });
      var msg = items.length === 1 ? text('one') : text('many').replace('%n', String(items.length));
      if (login) msg += ' — ' + text('login');
      banner.querySelector('.outbox-count').textContent = msg;
      banner.hidden = items.length === 0;
      return items;
    });
  }

  function sendNow(force) {
    root.setAttribute('data-outbox-sending', '1');
    return O.sendAll(force).then(function (res) {
      root.removeAttribute('data-outbox-sending');
      if (res.sent > 0) refresh(true);
      return showCount().then(function () { return res; });
    }, function (e) {
      root.removeAttribute('data-outbox-sending');
      throw e;
    });
  }

  if (banner) {
    banner.querySelector('.outbox-send').addEventListener('click', function () {
      sendNow(true).then(renderOutbox);
    });
  }
  if (O.channel) O.channel.onmessage = function () { showCount(); renderOutbox(); };

  // ---- what the phone keeps ---------------------------------------------------------
  function keepPages(pages) {
    if (!window.caches) return Promise.resolve();
    return caches.open(PAGES_CACHE).then(function (cache) {
      var queue = pages.slice();
      var worker = function () {
        var url = queue.shift();
        if (!url) return Promise.resolve();
        return fetch(url, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' })
          .then(function (r) {
            if (r.ok && r.type === 'basic') return cache.put(url, r);
          }, function () {})
          .then(worker);
      };
      return Promise.all([worker(), worker(), worker()]).then(function () {
        // pages no longer listed (a task done) are dropped
        return cache.keys().then(function (reqs) {
          return Promise.all(reqs.map(function (r) {
            var u = new URL(r.url);
            if (pages.indexOf(u.pathname + u.search) < 0) return cache.delete(r);
          }));
        });
      });
    });
  }

  function refreshBooks(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (r.status === 404) return [];
        if (!r.ok) return null;
        return r.json();
      }).then(function (books) {
        if (books) return O.setMeta('books', Array.isArray(books) ? books : (books.items || []));
      }, function () {});
  }

  function refresh(force) {
    if (!navigator.onLine) return Promise.resolve();
    return O.meta('refreshed_at').then(function (at) {
      if (!force && at && Date.now() - at < REFRESH_EVERY_MS) {
        root.setAttribute('data-offline-ready', '1');
        return;
      }
      return fetch('/offline/data.json', { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) return;
          return Promise.all([
            O.setMeta('synced_at', d.synced_at),
            O.setMeta('user_id', d.user_id),
            O.setMeta('pages', d.pages),
            O.setMeta('data', d),
            d.households ? refreshBooks(d.receipt_books_url) : O.setMeta('books', [])
          ]).then(function () { return keepPages(d.pages); })
            .then(function () { return O.setMeta('refreshed_at', Date.now()); })
            .then(function () { root.setAttribute('data-offline-ready', '1'); });
        }, function () {});
    });
  }

  // ---- receipt books ----------------------------------------------------------------
  // The receipt number a payment taken offline gets: the one the user chose on the form
  // (a book and a number), or else the next of the first open book that has one — neither
  // used nor cancelled on the server (as last read) nor used on this phone. Kept as used on
  // the phone at once.
  function takeReceiptNumber(chosenBook, chosenSeq) {
    return Promise.all([O.meta('books'), O.meta('books_used')]).then(function (r) {
      var books = r[0] || [];
      var used = r[1] || {};
      var take = function (b, s) {
        used[b.id] = (used[b.id] || []).concat([s]);
        return O.setMeta('books_used', used).then(function () { return { book: b, seq: s }; });
      };
      if (chosenBook && chosenSeq) {
        var chosen = books.filter(function (b) { return String(b.id) === String(chosenBook); })[0];
        return chosen ? take(chosen, Number(chosenSeq)) : null;
      }
      for (var i = 0; i < books.length; i++) {
        var b = books[i];
        if (b.next_seq === null) continue; // a full book
        var taken = (b.used || []).concat(b.cancelled || [], used[b.id] || []);
        for (var s = Math.max(b.next_seq || b.first_seq, b.first_seq); s <= b.last_seq; s++) {
          if (taken.indexOf(s) < 0) return take(b, s);
        }
      }
      return null;
    });
  }

  function provisionalReceipt(main, receipt) {
    var dl = el('dl', { 'class': 'facts' }, [
      el('dt', { text: text('receipt-no') }), el('dd', { id: 'provisional-receipt-no', text: receipt.number }),
      el('dt', { text: text('household') }), el('dd', { text: receipt.household }),
      el('dt', { text: text('amount') }), el('dd', { text: '₹' + receipt.amount }),
      el('dt', { text: text('paid-on') }), el('dd', { text: receipt.date })
    ]);
    var print = el('button', { type: 'button', 'class': 'primary no-print', text: text('receipt-print') });
    print.addEventListener('click', function () { window.print(); });
    main.replaceChildren(el('section', { 'class': 'receipt', id: 'provisional-receipt' }, [
      el('h1', { text: text('receipt-title') }),
      el('p', { 'class': 'alert-box', text: text('receipt-note') }),
      dl,
      el('p', {}, [print, document.createTextNode(' '), el('a', { href: '/outbox', text: text('saved') })])
    ]));
  }

  // ---- forms on kept pages ----------------------------------------------------------
  function fieldValue(form, name) {
    var f = form.elements.namedItem(name);
    return f && 'value' in f ? f.value : '';
  }

  function keepForm(form, submitter, seq) {
    var fd = new FormData(form, submitter || undefined);
    var action = new URL(form.action, location.href);
    var main = document.getElementById('main') || document.body;
    var h1 = document.querySelector('h1');
    var extra = {
      page: here, title: h1 ? h1.textContent.trim() : document.title, seq: seq,
      enctype: /multipart/i.test(form.getAttribute('enctype') || '') ? 'multipart' : 'urlencoded'
    };
    extra.shown = shownFields(form);
    var payment = action.pathname === '/payments' && fd.get('household_id');
    var numbered = payment && !seq
      ? takeReceiptNumber(fd.get('receipt_book_id'), fd.get('receipt_seq'))
      : Promise.resolve(null);
    return numbered.then(function (n) {
      if (n) {
        fd.set('receipt_book_id', String(n.book.id));
        fd.set('receipt_seq', String(n.seq));
        var hh = document.querySelector('#counter-household dd');
        extra.receipt = {
          number: (n.book.prefix || '') + ('00000' + n.seq).slice(-6),
          household: hh ? hh.textContent.trim() : fieldValue(form, 'household_id'),
          amount: fieldValue(form, 'amount'),
          date: fieldValue(form, 'paid_on')
        };
      }
      return O.keep(action.pathname + action.search, fd, extra);
    }).then(function (item) {
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) return reg.sync.register('paani-outbox');
        }).catch(function () {});
      }
      if (item.receipt) {
        provisionalReceipt(main, item.receipt);
      } else {
        main.replaceChildren(
          el('p', { 'class': 'flash', role: 'status', id: 'offline-saved', text: text('saved') }),
          el('p', {}, [el('a', { href: '/', 'class': 'button secondary', text: '⌂' }), document.createTextNode(' '),
            el('a', { href: '/outbox', 'class': 'button secondary', text: document.querySelector('footer a[href="/outbox"]') ? document.querySelector('footer a[href="/outbox"]').textContent : '/outbox' })])
        );
      }
      showCount();
      if (navigator.onLine) sendNow(false);
    });
  }

  // What the outbox shows of a form: each visible field's label and value as the user saw
  // them (a choice's text rather than its code), in the page's language.
  function shownFields(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || e.type === 'hidden' || e.type === 'submit' || e.type === 'button') return;
      if ((e.type === 'checkbox' || e.type === 'radio') && !e.checked) return;
      var label = (e.labels && e.labels[0] && e.labels[0].textContent.trim()) || e.getAttribute('aria-label') || e.name;
      var value = e.value;
      if (e.tagName === 'SELECT') value = e.selectedIndex >= 0 ? e.options[e.selectedIndex].text : '';
      if (e.type === 'checkbox') value = '✓';
      if (e.type === 'file') value = e.files && e.files.length ? e.files[0].name : '';
      if (value !== '') out.push([label, value]);
    });
    return out;
  }

  function kept() {
    return O.meta('pages').then(function (pages) { return (pages || []).indexOf(here) >= 0; });
  }

  function setUpForms(editing) {
    var forms = Array.prototype.filter.call(document.querySelectorAll('form'), function (f) {
      return (f.getAttribute('method') || '').toLowerCase() === 'post' && !f.classList.contains('logout');
    });
    forms.forEach(function (form) {
      // a page kept for days is used for many records: each gets a key of its own
      var k = form.querySelector('input[name=idempotency_key]');
      if (!k) {
        k = el('input', { type: 'hidden', name: 'idempotency_key' });
        form.appendChild(k);
      }
      k.value = editing ? editing.key : O.uuid();
      if (editing) {
        editing.fields.forEach(function (f) {
          var input = form.elements.namedItem(f[0]);
          if (input && typeof f[1] === 'string' && input.type !== 'file' && input.type !== 'hidden') {
            if (input.type === 'checkbox') input.checked = true; else input.value = f[1];
          }
        });
        form.setAttribute('data-outbox-seq', String(editing.seq));
      }
    });
    document.addEventListener('submit', function (ev) {
      var form = ev.target;
      if (ev.defaultPrevented || forms.indexOf(form) < 0) return;
      var seq = Number(form.getAttribute('data-outbox-seq')) || 0;
      if (navigator.onLine && !seq) return; // online: the form goes as it always did
      ev.preventDefault();
      keepForm(form, ev.submitter, seq || undefined);
    });
  }

  // ---- the outbox page --------------------------------------------------------------
  var box = document.getElementById('outbox');
  var t = function (k) { return (box && box.getAttribute('data-' + k)) || k; };

  function fieldList(item) {
    var dl = el('dl', { 'class': 'facts outbox-fields' });
    if (item.shown) {
      item.shown.forEach(function (f) {
        dl.appendChild(el('dt', { text: f[0] }));
        dl.appendChild(el('dd', { text: f[1] }));
      });
      return dl;
    }
    item.fields.forEach(function (f) {
      if (f[1] === '') return;
      dl.appendChild(el('dt', { text: f[0] }));
      dl.appendChild(el('dd', { text: typeof f[1] === 'string' ? shownValue(f[1]) : t('photo') + ' (' + Math.round(f[1].size / 1024) + ' KB)' }));
    });
    return dl;
  }

  function button(label, cls, fn) {
    var b = el('button', { type: 'button', 'class': cls, text: label });
    b.addEventListener('click', fn);
    return b;
  }

  // A moment as Paani shows times everywhere: DD-MM-YYYY HH:MM, India time.
  function shownTime(ms) {
    var parts = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric',
      hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + '-' + parts.month + '-' + parts.year + ' ' + parts.hour + ':' + parts.minute;
  }

  // A value as typed, with a date field's YYYY-MM-DD shown the way Paani shows dates.
  function shownValue(v) {
    var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    return d ? d[3] + '-' + d[2] + '-' + d[1] : v;
  }

  function itemView(item) {
    var li = el('li', { 'class': 'outbox-item state-' + item.state, 'data-seq': String(item.seq), 'data-state': item.state });
    li.appendChild(el('h2', { text: item.title || item.url }));
    li.appendChild(el('p', { 'class': 'outbox-state', text: t(item.state) }));
    li.appendChild(el('p', { 'class': 'muted', text: t('saved-at') + ': ' + shownTime(item.created_at) +
      (item.attempts ? ' · ' + t('tries') + ': ' + item.attempts : '') + (item.receipt ? ' · ' + item.receipt.number : '') }));
    if (item.why || item.errors) {
      var why = el('div', { 'class': 'field-error outbox-why' }, [el('strong', { text: t('why') + ': ' }), document.createTextNode(item.why || '')]);
      if (item.errors) {
        var ul = el('ul');
        Object.keys(item.errors).forEach(function (k) { ul.appendChild(el('li', { text: k + ': ' + item.errors[k] })); });
        why.appendChild(ul);
      }
      li.appendChild(why);
    }
    var actions = el('p', { 'class': 'actions' });
    if (item.state === 'decision' && item.conflict) {
      var c = item.conflict;
      var theirs = el('div', { 'class': 'outbox-theirs' }, [el('h3', { text: t('theirs') }),
        el('p', { text: (c.current && c.current.summary) || '' })]);
      if (c.current && c.current.url) theirs.appendChild(el('p', {}, [el('a', { href: c.current.url, text: t('see-theirs') })]));
      li.appendChild(theirs);
      li.appendChild(el('h3', { text: t('mine') }));
      li.appendChild(fieldList(item));
      (c.choices || []).forEach(function (choice) {
        if (choice === 'discard') return;
        actions.appendChild(button(t('choice-' + choice), 'primary outbox-choice', function () {
          O.retry(item.seq, choice).then(function () { return sendNow(true); }).then(renderOutbox);
        }));
      });
    } else {
      li.appendChild(fieldList(item));
      actions.appendChild(button(t('retry'), 'secondary outbox-retry', function () {
        O.retry(item.seq).then(function () { return sendNow(true); }).then(renderOutbox);
      }));
    }
    if (item.state === 'failed' && item.page) {
      actions.appendChild(el('a', { 'class': 'button secondary outbox-open', href: item.page + '#outbox-item=' + item.seq, text: t('open-form') }));
    }
    actions.appendChild(button(t('discard'), 'danger outbox-discard', function () {
      actions.hidden = true;
      var confirm = el('p', { 'class': 'alert-box outbox-confirm', role: 'alert' }, [
        document.createTextNode(t('discard-confirm') + ' '),
        button(t('discard-yes'), 'danger outbox-discard-yes', function () { O.remove(item.seq).then(renderOutbox); }),
        document.createTextNode(' '),
        button(t('cancel'), 'secondary', function () { confirm.remove(); actions.hidden = false; })
      ]);
      li.appendChild(confirm);
    }));
    li.appendChild(actions);
    return li;
  }

  function renderOutbox() {
    if (!box) return Promise.resolve();
    return showCount().then(function (items) {
      var list = document.getElementById('outbox-list');
      list.replaceChildren.apply(list, items.map(itemView));
      document.getElementById('outbox-empty').hidden = items.length > 0;
      box.hidden = false;
    });
  }

  function setUpOutboxPage() {
    if (!box) return;
    var status = document.getElementById('outbox-status');
    if (/[?&]saved=1/.test(location.search)) {
      status.className = 'flash';
      status.textContent = text('saved');
    }
    document.getElementById('outbox-send').addEventListener('click', function () {
      sendNow(true).then(function (res) {
        status.className = res.network || res.login ? 'alert-box' : '';
        status.textContent = res.login ? t('login') : res.network ? t('network') : '';
        return renderOutbox();
      });
    });
    document.getElementById('outbox-export').addEventListener('click', function () {
      O.exportAll().then(function (doc) {
        var blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
        var a = el('a', { href: URL.createObjectURL(blob), download: 'paani-outbox-' + new Date().toISOString().slice(0, 10) + '.json' });
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
    });
    var persist = document.getElementById('outbox-persist');
    if (navigator.storage && navigator.storage.persisted) {
      navigator.storage.persisted().then(function (yes) {
        persist.textContent = persist.getAttribute(yes ? 'data-granted' : 'data-denied');
        persist.setAttribute('data-persisted', yes ? 'yes' : 'no');
      });
    }
    renderOutbox();
  }

  // persistent storage, asked for once
  function askPersist() {
    if (!navigator.storage || !navigator.storage.persist) return;
    O.meta('persist_asked').then(function (asked) {
      if (asked) return;
      return navigator.storage.persist().then(function (granted) {
        return O.setMeta('persist_asked', { at: Date.now(), granted: granted });
      });
    }).catch(function () {});
  }

  // ---- start ------------------------------------------------------------------------
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
  }
  window.addEventListener('online', function () { sendNow(false).then(renderOutbox); });
  askPersist();
  var edit = /#outbox-item=(\d+)/.exec(location.hash);
  kept().then(function (isKept) {
    var editing = edit ? O.get(Number(edit[1])) : Promise.resolve(null);
    return editing.then(function (item) {
      if (isKept || item) setUpForms(item);
    });
  });
  setUpOutboxPage();
  showCount().then(function () {
    if (!navigator.onLine) return;
    return sendNow(false).then(function () { return refresh(false); }, function () { return refresh(false); });
  });
})();
