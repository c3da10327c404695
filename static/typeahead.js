/* typeahead.js: search-as-you-type for the header's search box (ARIA 1.2 combobox with a listbox); without it the form submits as usual. */
(function () {
	'use strict';
	var form = document.querySelector('form.search-box');
	var input = form && form.querySelector('input[name=q]');
	if (!input || !window.fetch) return;
	var MIN = 2, WAIT = 120;
	var list = document.createElement('ul');
	var status = document.createElement('div');
	var items = [], active = -1, seq = 0, timer = 0;

	list.id = 'ta-list';
	list.className = 'ta-list';
	list.setAttribute('role', 'listbox');
	list.setAttribute('aria-label', 'Suggestions');
	list.hidden = true;
	status.className = 'sr';
	status.setAttribute('role', 'status');
	status.setAttribute('aria-live', 'polite');
	form.appendChild(list);
	form.appendChild(status);
	input.setAttribute('role', 'combobox');
	input.setAttribute('aria-autocomplete', 'list');
	input.setAttribute('aria-controls', list.id);
	input.setAttribute('aria-expanded', 'false');
	input.setAttribute('autocomplete', 'off');

	var KIND = { brand: 'Brand', category: 'Department', title: 'Product' };
	function href(s) {
		if (s.kind === 'title' && s.id) return '/products/' + s.id;
		if (s.kind === 'category' && s.id) return '/c/' + s.id;
		return '/search?q=' + encodeURIComponent(s.text);
	}
	function close() {
		list.hidden = true;
		list.textContent = '';
		items = [];
		active = -1;
		input.setAttribute('aria-expanded', 'false');
		input.removeAttribute('aria-activedescendant');
	}
	function mark(i) {
		if (active >= 0 && items[active]) items[active].el.setAttribute('aria-selected', 'false');
		active = i;
		if (i < 0) {
			input.removeAttribute('aria-activedescendant');
			return;
		}
		items[i].el.setAttribute('aria-selected', 'true');
		input.setAttribute('aria-activedescendant', items[i].el.id);
		items[i].el.scrollIntoView({ block: 'nearest' });
	}
	function show(suggestions) {
		close();
		suggestions.forEach(function (s, i) {
			var li = document.createElement('li'), text = document.createElement('span'),
				kind = document.createElement('span');
			li.id = 'ta-opt-' + i;
			li.className = 'ta-opt';
			li.setAttribute('role', 'option');
			li.setAttribute('aria-selected', 'false');
			text.className = 'ta-text';
			text.textContent = s.text;
			li.appendChild(text);
			kind.className = 'ta-kind';
			kind.textContent = KIND[s.kind] || '';
			li.appendChild(kind);
			/* mousedown, not click: the input's blur would close the list first */
			li.addEventListener('mousedown', function (e) {
				e.preventDefault();
				window.location.assign(href(s));
			});
			list.appendChild(li);
			items.push({ el: li, href: href(s) });
		});
		status.textContent = items.length ? items.length + ' suggestions, use the arrow keys' : '';
		if (!items.length) return;
		list.hidden = false;
		input.setAttribute('aria-expanded', 'true');
	}
	function ask() {
		var q = input.value.trim(), mine = ++seq;
		if (q.length < MIN) {
			close();
			return;
		}
		fetch('/api/v1/search/suggest?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
			.then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
			.then(function (j) { if (mine === seq && document.activeElement === input) show(j.suggestions || []); })
			.catch(function () { if (mine === seq) close(); });
	}
	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(ask, WAIT);
	});
	input.addEventListener('keydown', function (e) {
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			if (list.hidden) {
				ask();
				return;
			}
			e.preventDefault();
			/* -1 is the input itself: down from the last, up from the first */
			var n = items.length, next = active + (e.key === 'ArrowDown' ? 1 : -1);
			mark(next >= n ? -1 : next < -1 ? n - 1 : next);
		} else if (e.key === 'Enter' && !list.hidden && active >= 0) {
			e.preventDefault();
			window.location.assign(items[active].href);
		} else if (e.key === 'Escape' && !list.hidden) {
			e.preventDefault();
			close();
		}
	});
	input.addEventListener('blur', function () { setTimeout(close, 100); });
})();
