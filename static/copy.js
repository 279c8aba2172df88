// Copy or share a complaint number shown as plain text. The buttons stay hidden where this
// script does not run; the number can always be selected by hand.
(function () {
  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  document.querySelectorAll('button[data-copy]').forEach(function (b) {
    var el = document.getElementById(b.getAttribute('data-copy'));
    if (!el) return;
    b.hidden = false;
    b.addEventListener('click', function () {
      var text = el.textContent.trim();
      var done = function () { b.textContent = b.getAttribute('data-done') || b.textContent; };
      select(el);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else {
        try { if (document.execCommand('copy')) done(); } catch (e) { /* selected: copy by hand */ }
      }
    });
  });
  if (!navigator.share) return;
  document.querySelectorAll('button[data-share]').forEach(function (b) {
    var link = document.getElementById(b.getAttribute('data-share'));
    if (!link) return;
    b.hidden = false;
    b.addEventListener('click', function () {
      navigator.share({ text: b.getAttribute('data-text') || '', url: link.href }).catch(function () {});
    });
  });
})();
