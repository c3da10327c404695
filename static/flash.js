/* flash.js: the waiting page polls its status (the ticket travels in its
 * cookie) and reloads when the state changes; without JavaScript the
 * page's meta refresh does the same. */
(function () {
  var root = document.getElementById('flash');
  if (!root) return;
  var sale = root.getAttribute('data-sale'), state = root.getAttribute('data-state');
  var starts = parseInt(root.getAttribute('data-starts'), 10) * 1000;
  function text(id, v) { var e = document.getElementById(id); if (e) e.textContent = v; }
  function dur(s) {
    if (s < 0) s = 0;
    var m = Math.floor(s / 60), r = s % 60;
    return m ? m + ' min ' + r + ' s' : r + ' s';
  }
  function tick() {
    if (state === 'prequeue') text('countdown', dur(Math.ceil((starts - Date.now()) / 1000)));
  }
  function poll() {
    fetch('/api/v1/flash/' + sale + '/status', {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state && s.state !== state) { location.reload(); return; }
        if (s.position != null) text('position', s.position);
        if (s.ahead != null) text('ahead', s.ahead);
        if (s.eta_s != null && state !== 'prequeue') text('eta', dur(s.eta_s));
        if (s.units_left != null) text('units-left', s.units_left);
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, state === 'prequeue' ? 1000 : 2000); });
  }
  setInterval(tick, 250);
  setTimeout(poll, 1000);
})();
