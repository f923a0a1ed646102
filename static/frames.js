/* frames.js: the documents around a slide (frameset, view, presentation, glossary) send the presenter's keys to the slide frame; phones get the view and glossary sheets. */
"use strict";

(function () {
	var root = document.documentElement;
	var narrow = window.matchMedia && window.matchMedia("(max-width: 37.5rem), (max-height: 31.25rem)");

	/* Returns the nearest slide frame that answers keys, looking up from this window. */
	function slideWindow() {
		var w = window;

		for (;;) {
			try {
				if (w.frames.slide && typeof w.frames.slide.drfslidesKey === "function")
					return w.frames.slide;
			} catch (e) {
				/* another origin: keep looking up */
			}
			if (w === w.parent)
				return null;
			w = w.parent;
		}
	}

	/* Hands a key pressed outside the slide to the slide, unless something here wants it. */
	function onkey(ev) {
		var t = ev.target, s;

		if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented)
			return;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))
			return;
		if (t && /^(A|BUTTON|SUMMARY)$/.test(t.tagName) && (ev.key === " " || ev.key === "Enter"))
			return;
		s = slideWindow();
		if (s && s !== window && s.drfslidesKey(ev.key))
			ev.preventDefault();
	}

	/* Also listens in the frames this document holds other than the slide (a glossary entry). */
	function watch(f) {
		f.addEventListener("load", function () {
			try {
				if (f.name !== "slide" && f.contentDocument)
					f.contentDocument.addEventListener("keydown", onkey);
			} catch (e) {
				/* another origin */
			}
		});
	}

	/*
	 * A touch screen without a mouse (a phone, a tablet) is sent from the
	 * frameset to the view of the same page, which fits it, unless its reader
	 * chose the frames there ("Classic frames"). Desktops keep the frameset.
	 */
	function phone() {
		var v = document.querySelector("link.drf-phone");

		if (!v || !window.matchMedia("(hover: none) and (pointer: coarse)").matches)
			return;
		try {
			if (window.sessionStorage.getItem("drfslides-frames"))
				return;
		} catch (e) {
			/* no storage: the view it is */
		}
		/* The exported frameset's link names no page: the address does. */
		window.location.replace(v.href.indexOf("?") < 0 ? v.href + window.location.search : v.href);
	}

	/*
	 * In the view and the presentation on a phone, or embedded in another
	 * site, a glossary entry is a sheet that slides up from the bottom.
	 */
	function sheets() {
		if (!root.classList.contains("drf-view") && !root.classList.contains("drf-present"))
			return;
		if (window.top !== window.self)
			root.classList.add("embedded");
		root.classList.toggle("sheet", root.classList.contains("embedded") || !!(narrow && narrow.matches));
	}

	/* Calls close when a finger moves down over doc (a sheet) from its top. */
	window.drfslidesSwipeDown = function (doc, close) {
		var y0 = null;

		doc.addEventListener("touchstart", function (ev) {
			var s = doc.scrollingElement || doc.documentElement;

			y0 = ev.touches.length === 1 && (!s || s.scrollTop <= 0) ? ev.touches[0].clientY : null;
		}, { passive: true });
		doc.addEventListener("touchend", function (ev) {
			var t = ev.changedTouches[0];

			if (y0 !== null && t && t.clientY - y0 > 60)
				close();
			y0 = null;
		});
	};

	if (window.matchMedia)
		phone();
	sheets();
	if (narrow && narrow.addEventListener)
		narrow.addEventListener("change", sheets);
	document.addEventListener("keydown", onkey);
	document.addEventListener("DOMContentLoaded", function () {
		Array.prototype.forEach.call(document.querySelectorAll("iframe"), watch);
	});
})();
