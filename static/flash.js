/* flash.js: the waiting page. Its place and ETA come from polling the
 * status (the ticket travels in its cookie; a change of state reloads the
 * page). The sale's own changes are pushed (EventSource on
 * /api/v1/flash/{id}/events, held by nginx's nchan: docs/FLASH.md "Push"):
 * "sold out" and "over" are drawn at once, without a reload or a poll;
 * a pause, a resume, the start or units coming back make it poll soon.
 * Without JavaScript the page's meta refresh polls instead. */
(function () {
  var root = document.getElementById('flash');
  if (!root) return;
  var sale = root.getAttribute('data-sale'), state = root.getAttribute('data-state');
  var starts = parseInt(root.getAttribute('data-starts'), 10) * 1000;
  /* the status this page shows was read then (server ms): older pushes are in it */
  var rendered = parseInt(root.getAttribute('data-now'), 10) || 0;
  var timer = null, stream = null, over = false;
  function text(id, v) { var e = document.getElementById(id); if (e) e.textContent = v; }
  function dur(s) {
    if (s < 0) s = 0;
    var m = Math.floor(s / 60), r = s % 60;
    return m ? m + ' min ' + r + ' s' : r + ' s';
  }
  function tick() {
    if (state === 'prequeue') text('countdown', dur(Math.ceil((starts - Date.now()) / 1000)));
  }
  function units(n) {
    text('units-left', n);
    var bar = document.getElementById('units-bar');
    if (bar) bar.value = n;
  }
  function leave() {
    over = true;
    clearTimeout(timer);
    if (stream) stream.close();
  }
  function reload() { leave(); location.reload(); }
  /* sold out: units given back are pushed, so a live stream lets the poll rest */
  function every() {
    if (state === 'prequeue') return 1000;
    if (state === 'sold_out' && stream && stream.readyState === 1) return 10000;
    return 2000;
  }
  function schedule(ms) {
    clearTimeout(timer);
    if (!over) timer = setTimeout(poll, ms);
  }
  function poll() {
    fetch('/api/v1/flash/' + sale + '/status', {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state && s.state !== state) { reload(); return; }
        if (s.position != null) text('position', s.position);
        if (s.ahead != null) text('ahead', s.ahead);
        if (s.eta_s != null && state !== 'prequeue') text('eta', dur(s.eta_s));
        if (s.units_left != null) units(s.units_left);
      })
      .catch(function () {})
      .then(function () { schedule(every()); });
  }
  /* The sale's end state drawn in place of the line (the template's own
   * markup, so the page looks as after a reload). */
  function show(id, heading, lead) {
    var at = null;
    ['prequeue', 'waiting', 'sold-out', 'ended'].forEach(function (k) {
      var e = document.getElementById(k);
      if (!e) return;
      if (!at) at = e.nextSibling;
      e.parentNode.removeChild(e);
    });
    var box = document.createElement('div'), h = document.createElement('h2');
    var p = document.createElement('p');
    box.className = 'waiting';
    box.id = id;
    h.textContent = heading;
    p.className = 'lead';
    p.textContent = lead;
    box.appendChild(h);
    box.appendChild(p);
    root.insertBefore(box, at);
  }
  function pushed(m) {
    if (!m || String(m.sale) !== sale || (m.at && m.at < rendered)) return;
    if (m.state === 'sold_out' && state !== 'sold_out') {
      state = 'sold_out';
      root.setAttribute('data-state', state);
      units(0);
      show('sold-out', 'Sold out', 'All units of this sale are gone. If a buyer\'s payment ' +
           'fails, units come back and the line moves again.');
      schedule(every());
    } else if (m.state === 'ended') {
      leave();
      state = 'ended';
      root.setAttribute('data-state', state);
      units(0);
      show('ended', 'This sale is over', 'Thank you for your interest.');
    } else if ((m.state === 'running' && state !== 'waiting') ||
               (m.state === 'paused' && state === 'waiting')) {
      /* this page's state may have changed: ask, spread over a second so
       * a whole line does not ask at once (and after the pools' 500 ms
       * sale cache) */
      schedule(600 + Math.floor(Math.random() * 1000));
    }
  }
  function listen() {
    if (!window.EventSource) return;
    stream = new EventSource('/api/v1/flash/' + sale + '/events');
    stream.onmessage = function (e) {
      var m = null;
      try { m = JSON.parse(e.data); } catch (x) { return; }
      pushed(m);
    };
    /* a refused stream (no push on this server, too many from this
     * address) stays closed: the page polls as before */
  }
  setInterval(tick, 250);
  listen();
  schedule(1000);
})();
