/* sync.js: what the presenter view, the audience window and the followers share: moving a slide frame to a position, and hearing where it is. */
"use strict";

window.drfslidesSync = (function () {
	/*
	 * Shows page and step (steps shown) in a slide frame: the steps of the
	 * page already there move in place; another page loads, its steps given
	 * in the address (#step=N).
	 */
	function show(frame, page, step) {
		var w = frame.contentWindow, cur = null;

		try {
			cur = w.document.body.getAttribute("data-page");
		} catch (e) {
			/* not loaded yet */
		}
		if (cur === String(page) && typeof w.drfslidesStep === "function") {
			w.drfslidesStep(step);
			return;
		}
		frame.src = String(page) + "#step=" + step;
	}

	/*
	 * Calls onmove(page, step, steps) whenever the slide frame of this
	 * document shows a new page or step (slide.js reports it here). The
	 * frame may have loaded, and reported to nobody, before this script
	 * ran: it is asked to report again.
	 */
	function listen(onmove, frame) {
		var h = window.drfslidesHost || { closeOverlay: function () { return false; } };
		var w;

		h.moved = onmove;
		window.drfslidesHost = h;
		try {
			w = frame && frame.contentWindow;
			if (w && typeof w.drfslidesReport === "function")
				w.drfslidesReport();
		} catch (e) {
			/* not loaded yet: it reports once it has */
		}
	}

	/*
	 * The channel between the windows of one deck in this browser (the
	 * presenter view and its audience window), or null without one.
	 */
	function channel(deck) {
		return window.BroadcastChannel && deck ? new BroadcastChannel("drfslides:" + deck) : null;
	}

	/* Formats seconds as H:MM:SS. */
	function hms(s) {
		var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;

		s = Math.floor(s % 60);
		return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
	}

	return { show: show, listen: listen, channel: channel, hms: hms };
})();
