/* live.js: the dev server's live reload and warnings banner; never served by "drfslides fcgi". */
"use strict";

(function () {
	var token = null;

	/* Asks the dev server whether anything changed, and reloads this document if so. */
	function poll() {
		fetch("/_drfslides/live", { cache: "no-store" }).then(function (r) {
			return r.ok ? r.text() : null;
		}).then(function (t) {
			if (t === null)
				return;
			/*
			 * Wait past the server's change-check interval (100 ms) so
			 * that the reloaded page is the new version, not a cached one.
			 */
			if (token !== null && t !== token)
				window.setTimeout(function () { window.location.reload(); }, 250);
			token = t;
		}).catch(function () { /* the server is restarting: try again */ });
	}

	/*
	 * The warnings banner, once per layout: in the document at the top (the
	 * view, the presentation, the index), or in the slide frame when the top
	 * is the classic frameset, which has no body to show it in. Dismissed,
	 * it stays away until the warnings change.
	 */
	var banner = document.querySelector(".drf-dev-banner");
	var dismissKey = "drfslides.dev.dismissed:" + window.location.pathname.replace(/[^/]*$/, "");

	function bannerHere() {
		if (window.top === window)
			return true;
		try {
			return window.name === "slide" && window.parent === window.top &&
			    window.parent.document.body !== null &&
			    window.parent.document.body.tagName === "FRAMESET";
		} catch (e) {
			return false;	/* framed by another site: that page is the layout */
		}
	}

	function stored() {
		try {
			return window.localStorage.getItem(dismissKey);
		} catch (e) {
			return null;
		}
	}

	if (banner && (!bannerHere() || stored() === banner.textContent))
		banner.remove();
	document.addEventListener("click", function (ev) {
		var b = ev.target.closest ? ev.target.closest(".drf-dev-close") : null;

		if (!b || !b.parentNode)
			return;
		try {
			window.localStorage.setItem(dismissKey, b.parentNode.textContent);
		} catch (e) { /* private mode: dismissed for this page only */ }
		b.parentNode.remove();
	});
	poll();
	window.setInterval(poll, 500);
})();

/* A page whose content does not fit its canvas even at the smallest type says so. */
(function () {
	var text = document.currentScript.dataset;	/* the interface strings */

	/* Shows the notice once. */
	function mark() {
		var d;

		if (document.querySelector(".drf-dev-overflow"))
			return;
		d = document.createElement("p");
		d.className = "drf-dev-overflow";
		d.setAttribute("role", "status");
		d.textContent = text.overflow;
		document.body.appendChild(d);
	}

	document.addEventListener("drfslides:overflow", mark);
	if (document.documentElement.hasAttribute("data-overflow"))
		mark();
})();
