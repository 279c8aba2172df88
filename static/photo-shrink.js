// Photos on weak networks: where script runs, a chosen photo is made smaller in the browser
// before it is sent (longest side at most 1600 px, JPEG), and a file still too large is
// refused here with a message, before a long upload. Without script the server's checks do
// the same after the upload. Loaded only on pages with a photo field; the messages and the
// limit come from the script element's data attributes (in the page's language).
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !window.DataTransfer || !window.Blob || !document.createElement('canvas').toBlob) return;
  var MAX_SIDE = 1600;
  var maxBytes = Number(me.getAttribute('data-max-bytes')) || 5 * 1024 * 1024;
  var tooLarge = me.getAttribute('data-too-large') || '';
  var notImage = me.getAttribute('data-not-image') || '';
  var busy = 0;

  function say(input, text) {
    var p = input.nextElementSibling;
    if (!p || !p.hasAttribute('data-photo-message')) {
      p = document.createElement('p');
      p.className = 'field-error';
      p.setAttribute('data-photo-message', '');
      p.setAttribute('role', 'alert');
      input.insertAdjacentElement('afterend', p);
    }
    p.textContent = text;
    p.hidden = !text;
  }

  function load(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: 'from-image' }).catch(function () {
        return createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('not an image')); };
      img.src = url;
    });
  }

  function shrink(file) {
    return load(file).then(function (img) {
      var w = img.width, h = img.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      // a small photo that is already light is sent as it is
      if (scale === 1 && file.size <= 1024 * 1024) return file;
      var canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      var g = canvas.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      if (img.close) img.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (!blob) { reject(new Error('no JPEG')); return; }
          var name = (file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg';
          resolve(new File([blob], name, { type: 'image/jpeg', lastModified: Date.now() }));
        }, 'image/jpeg', 0.82);
      });
    });
  }

  function chosen(input) {
    var file = input.files && input.files[0];
    say(input, '');
    if (!file) return;
    busy += 1;
    shrink(file).then(function (out) {
      if (out.size > maxBytes) throw new Error('too large');
      if (out !== file) {
        var dt = new DataTransfer();
        dt.items.add(out);
        input.files = dt.files;
      }
    }).catch(function () {
      // not readable here (or still too large): refuse it now when it is too large to
      // send; otherwise let the server decide
      if (file.size > maxBytes) {
        input.value = '';
        say(input, tooLarge);
      } else if (!/^image\//.test(file.type)) {
        input.value = '';
        say(input, notImage);
      }
    }).then(function () {
      busy -= 1;
      if (input.form) input.form.removeAttribute('aria-busy');
    });
  }

  var inputs = document.querySelectorAll('input[type=file][accept^="image/"]');
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener('change', function () { chosen(input); });
    var form = input.form;
    if (form && !form.hasAttribute('data-photo-wait')) {
      form.setAttribute('data-photo-wait', '');
      // a photo still being made smaller: send when it is ready
      form.addEventListener('submit', function (ev) {
        if (busy > 0) {
          ev.preventDefault();
          form.setAttribute('aria-busy', 'true');
          var wait = setInterval(function () {
            if (busy === 0) {
              clearInterval(wait);
              if (form.requestSubmit) form.requestSubmit(); else form.submit();
            }
          }, 100);
        }
      });
    }
  });
})();
