// gallery.js: a thumbnail shows its picture in the large frame instead of opening it (the links work without this).
(function () {
  var main = document.getElementById('g-main');
  if (!main) return;
  document.querySelectorAll('.g-thumb').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      main.srcset = a.getAttribute('data-srcset') || '';
      main.src = a.getAttribute('href');
      main.alt = a.getAttribute('data-alt');
      document.querySelectorAll('.g-thumb[aria-current]').forEach(function (o) { o.removeAttribute('aria-current'); });
      a.setAttribute('aria-current', 'true');
    });
  });
})();
