/* slide.js: keyboard navigation for a slide page, and the deep link in the top address bar; the links work without it. */
"use strict";

(function () {
	/* Follows the navigation link with the given rel, if the page has one. */
	function go(rel) {
		var a = document.querySelector('nav.slide-nav a[rel="' + rel + '"]');

		if (a)
			window.location.href = a.href;
	}

	/*
	 * Writes ?page=N into the address of the document that holds this frame
	 * (the frameset or the container), so that a reload or a copied address
	 * comes back to this slide. A parent of another origin (a course site
	 * that embeds a slide directly) cannot be touched, and is left alone.
	 */
	function follow() {
		var n = document.body.getAttribute("data-page"), p, u;

		if (window.parent === window || window.name !== "slide" || n === null)
			return;
		try {
			p = window.parent;
			if (p.location.origin !== window.location.origin)
				return;
			u = new URL(p.location.href);
			if (u.searchParams.get("page") === n)
				return;
			u.searchParams.set("page", n);
			p.history.replaceState(p.history.state, "",
			    u.pathname + u.search + u.hash);
		} catch (e) {
			/* cross-origin parent: nothing to update */
		}
	}

	/* Answers the navigation keys; the container forwards its own keys here too. */
	function key(ev) {
		var t = ev.target;

		if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented)
			return;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)))
			return;
		switch (ev.key) {
		case "ArrowRight": case "PageDown": case " ": case "Spacebar": go("next"); break;
		case "ArrowLeft": case "PageUp": go("prev"); break;
		case "Home": go("first"); break;
		case "End": go("last"); break;
		default: return;
		}
		ev.preventDefault();
	}

	document.addEventListener("keydown", key);
	window.drfslidesGo = go;
	follow();
})();
