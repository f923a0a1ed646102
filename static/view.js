/* view.js: the single-document view: keys that reach the container, the page announcement, the layout link. */
"use strict";

(function () {
	var slide = document.getElementById("slide-frame");
	var announce = document.getElementById("announce");
	var frames = document.getElementById("to-frames");

	if (!slide)
		return;

	/* Sends the navigation keys pressed on the container to the slide frame. */
	document.addEventListener("keydown", function (ev) {
		var t = ev.target, w = slide.contentWindow, rel;

		if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented)
			return;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)))
			return;
		switch (ev.key) {
		case "ArrowRight": case "PageDown": case " ": case "Spacebar": rel = "next"; break;
		case "ArrowLeft": case "PageUp": rel = "prev"; break;
		case "Home": rel = "first"; break;
		case "End": rel = "last"; break;
		default: return;
		}
		try {
			if (w && w.drfslidesGo) {
				w.drfslidesGo(rel);
				ev.preventDefault();
			}
		} catch (e) {
			/* the frame shows something else */
		}
	});

	/* Announces "N / total" politely whenever the slide frame shows a new page. */
	slide.addEventListener("load", function () {
		var d, c;

		try {
			d = slide.contentDocument;
			c = d && d.querySelector(".slide-nav .counter");
			if (c && announce)
				announce.textContent = c.textContent;
			if (d && d.title)
				document.title = d.title;
		} catch (e) {
			/* not ours */
		}
	});

	/* The link to the frameset keeps the slide being shown. */
	if (frames) {
		frames.addEventListener("click", function () {
			frames.search = window.location.search;
		});
	}
})();
