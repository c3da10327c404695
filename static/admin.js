// admin.js: asks before a destructive admin action in a <dialog>. Forms
// with data-confirm post confirm=yes once the admin says yes; without
// this script the server shows a confirmation page instead.
(function () {
  'use strict';
  var dialog = null;
  var pending = null;

  function build() {
    dialog = document.createElement('dialog');
    dialog.className = 'confirm-dialog';
    dialog.setAttribute('aria-labelledby', 'confirm-dialog-text');
    var p = document.createElement('p');
    p.id = 'confirm-dialog-text';
    var yes = document.createElement('button');
    yes.type = 'button';
    yes.className = 'btn btn-danger';
    yes.id = 'confirm-dialog-yes';
    yes.textContent = 'Yes, do it';
    var no = document.createElement('button');
    no.type = 'button';
    no.className = 'btn btn-ghost';
    no.id = 'confirm-dialog-no';
    no.textContent = 'No, go back';
    var row = document.createElement('div');
    row.className = 'confirm-actions';
    row.appendChild(yes);
    row.appendChild(no);
    dialog.appendChild(p);
    dialog.appendChild(row);
    document.body.appendChild(dialog);
    no.addEventListener('click', function () { pending = null; dialog.close(); });
    yes.addEventListener('click', function () {
      var f = pending;
      pending = null;
      dialog.close();
      if (!f) return;
      var c = document.createElement('input');
      c.type = 'hidden';
      c.name = 'confirm';
      c.value = 'yes';
      f.appendChild(c);
      f.submit();
    });
  }

  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (!(f instanceof HTMLFormElement) || !f.dataset.confirm) return;
    if (typeof HTMLDialogElement !== 'function') return; // the server asks
    e.preventDefault();
    if (!dialog) build();
    pending = f;
    document.getElementById('confirm-dialog-text').textContent = f.dataset.confirm;
    dialog.showModal();
    document.getElementById('confirm-dialog-no').focus();
  });
})();
