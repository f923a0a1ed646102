/* frames.js: the documents around a slide (frameset, view, presentation, glossary) send the presenter's keys to the slide frame. */
"use strict";

(function () {
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

	document.addEventListener("keydown", onkey);
	document.addEventListener("DOMContentLoaded", function () {
		Array.prototype.forEach.call(document.querySelectorAll("iframe"), watch);
	});
})();
