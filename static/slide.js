/* slide.js: keyboard navigation for a slide page; the links work without it. */
"use strict";

(function () {
	/* Follows the navigation link with the given rel, if the page has one. */
	function go(rel) {
		var a = document.querySelector('nav.slide-nav a[rel="' + rel + '"]');

		if (a)
			window.location.href = a.href;
	}

	document.addEventListener("keydown", function (ev) {
		var t = ev.target;

		if (ev.altKey || ev.ctrlKey || ev.metaKey)
			return;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))
			return;
		switch (ev.key) {
		case "ArrowRight": case "PageDown": case " ": go("next"); break;
		case "ArrowLeft": case "PageUp": go("prev"); break;
		case "Home": go("first"); break;
		case "End": go("last"); break;
		default: return;
		}
		ev.preventDefault();
	});
})();
