/* search.js: the search page without an Apply click (everything works without it too). */
(function () {
	'use strict';
	function autoSubmit(form, selector) {
		if (!form) return;
		form.addEventListener('change', function (e) {
			if (e.target.matches(selector)) form.submit();
		});
	}
	autoSubmit(document.querySelector('.facet-form'), 'input[type=checkbox], input[type=radio]');
	autoSubmit(document.querySelector('form.sort'), 'select');
})();
