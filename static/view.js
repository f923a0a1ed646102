/* view.js: the single-document view: the page announcement and the layout links (frames.js forwards the keys). */
"use strict";

(function () {
	var slide = document.getElementById("slide-frame");
	var announce = document.getElementById("announce");
	var frames = document.getElementById("to-frames");
	var present = document.getElementById("to-present");

	if (!slide)
		return;

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

	/* The links to the frameset and the presentation keep the slide being shown. */
	[frames, present].forEach(function (a) {
		if (a) {
			a.addEventListener("click", function () {
				a.search = window.location.search;
			});
		}
	});
})();
