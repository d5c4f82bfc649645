/**
 * The UI's two static files: one stylesheet and one small script (progressive enhancement only:
 * every form works without it). Served from `/assets/` so the Content-Security-Policy can say
 * `script-src 'self'` and `style-src 'self'` with nothing inline.
 */

/**
 * The script: the IMEI check digit (Luhn, 3GPP TS 23.003 B.2) checked as the person types, with
 * the message in the page's language taken from the input's data attributes; upload forms show a
 * progress bar. `ceirLuhn` is global so a test can compare it with the server's.
 */
export const APP_JS = `'use strict';
function ceirLuhn(d) {
  var sum = 0;
  for (var i = 0; i < 14; i++) {
    var n = d.charCodeAt(i) - 48;
    if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
  }
  return (10 - (sum % 10)) % 10;
}
function ceirInit(root) {
  root.querySelectorAll('input[data-imei]').forEach(function (input) {
    var out = document.getElementById(input.getAttribute('data-imei'));
    if (!out) return;
    var check = function () {
      var s = input.value.replace(/[\\s.\\-\\/]/g, '');
      var msg = '';
      var bad = false;
      if (s !== '' && !/^[0-9]*$/.test(s)) { msg = input.getAttribute('data-msg-digits'); bad = true; }
      else if (s.length > 15) { msg = input.getAttribute('data-msg-long'); bad = true; }
      else if (s.length === 15) {
        var cd = ceirLuhn(s);
        if (String(cd) !== s.charAt(14)) { msg = input.getAttribute('data-msg-check').replace('{digit}', String(cd)); bad = true; }
        else msg = input.getAttribute('data-msg-ok');
      }
      out.textContent = msg || '';
      out.className = bad ? 'live bad' : 'live good';
      input.setAttribute('aria-invalid', bad ? 'true' : 'false');
    };
    input.addEventListener('input', check);
  });
  root.querySelectorAll('form[data-progress]').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      var bar = document.getElementById(form.getAttribute('data-progress'));
      if (!bar) return;
      ev.preventDefault();
      bar.hidden = false;
      bar.value = 0;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.responseType = 'document';
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
      xhr.onload = function () {
        var doc = xhr.response;
        if (!doc || !doc.body) { form.submit(); return; }
        document.title = doc.title;
        var body = document.importNode(doc.body, true);
        document.body.replaceWith(body);
        ceirInit(body);
        var main = document.getElementById('main');
        if (main) main.focus();
      };
      xhr.onerror = function () { form.submit(); };
      xhr.send(new FormData(form));
    });
  });
}
if (typeof document !== 'undefined') ceirInit(document);
`;

/** Colours meet WCAG 2.1 AA contrast (4.5:1 for text) on white; focus is always visible. */
export const APP_CSS = `*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
body{margin:0}
a{color:#0b4f9c}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,main:focus{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em}
.skip:focus{left:.5em}
header{background:#0b3d6e;color:#fff;padding:.5em 1em}
header a{color:#fff}
header .brand{font-weight:700;font-size:1.2em;text-decoration:none}
header .tagline{margin-left:.5em;font-size:.9em}
nav ul{list-style:none;margin:.3em 0;padding:0;display:flex;flex-wrap:wrap;gap:.2em 1em}
.who{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;font-size:.9em}
.who form{display:inline}
.who button{background:none;border:1px solid #fff;color:#fff;padding:.1em .6em;cursor:pointer}
main{max-width:70em;margin:0 auto;padding:1em}
footer{max-width:70em;margin:2em auto;padding:0 1em;color:#4a4a4a;font-size:.9em}
form.stack{display:grid;gap:.8em;max-width:36em}
label{display:block;font-weight:600}
input,select,textarea,button{font:inherit}
input[type=text],input[type=password],input[type=tel],input[type=date],input[type=search],input[type=number],select,textarea{display:block;width:100%;padding:.4em;border:1px solid #555;border-radius:3px}
button,.button{background:#0b4f9c;color:#fff;border:0;border-radius:3px;padding:.5em 1.1em;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b4f9c;border:1px solid #0b4f9c}
.hint{color:#4a4a4a;font-size:.9em;margin:.1em 0}
.live{min-height:1.5em;margin:.1em 0;font-size:.95em}
.bad{color:#a4000f}
.good{color:#0a6b2b}
.notice{border-left:5px solid #0b4f9c;background:#eef4fb;padding:.6em 1em;margin:1em 0}
.notice.error{border-color:#a4000f;background:#fbeeee}
.status{border:2px solid;border-radius:4px;padding:.8em 1em;margin:1em 0}
.status.allowed{border-color:#0a6b2b;background:#edf7f0}
.status.pending{border-color:#8a5a00;background:#fdf6e7}
.status.blocked,.status.unknown,.status.invalid{border-color:#a4000f;background:#fbeeee}
.status h3{margin:.1em 0}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}
caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eef1f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.card{border:1px solid #999;border-radius:4px;padding:.6em 1em;min-width:10em}
.card strong{display:block;font-size:1.6em}
.chart{max-width:100%;height:auto;font-size:12px}
.chart text{fill:#1a1a1a}
.scroll{overflow-x:auto}
.mono,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all;white-space:pre-wrap}
.subnav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1em}
.inline{display:inline}
progress{width:100%;max-width:36em}
`;
