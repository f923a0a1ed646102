/* view.js: the single-document view: the page announcement, the layout links and the glossary sheet of phones (frames.js forwards the keys). */
"use strict";

(function () {
	var slide = document.getElementById("slide-frame");
	var announce = document.getElementById("announce");
	var frames = document.getElementById("to-frames");
	var present = document.getElementById("to-present");
	var display = document.getElementById("display-frame");
	var closer = document.getElementById("sheet-close");
	var root = document.documentElement;

	if (!slide)
		return;

	/*
	 * An exported view is one file for every page: ?page=N in its address
	 * picks the slide (a served view is rendered at its page).
	 */
	(function () {
		var m = /[?&]page=([0-9]+)/.exec(window.location.search);
		var total = Number(document.body.getAttribute("data-total"));

		if (m && document.body.hasAttribute("data-export") && Number(m[1]) < total)
			slide.src = slide.getAttribute("src").replace(/[0-9]+\.html$/, Number(m[1]) + ".html");
	})();

	/* Slides the glossary up over the slide, where it is a sheet (frames.js). */
	function open() {
		if (!root.classList.contains("sheet") || root.classList.contains("sheet-open"))
			return;
		root.classList.add("sheet-open");
		closer.focus();
	}

	/* Slides the sheet away and gives the keys back to the slide; returns true if it was open. */
	function close() {
		if (!root.classList.contains("sheet-open"))
			return false;
		root.classList.remove("sheet-open");
		try {
			slide.contentWindow.focus();
		} catch (e) {
			slide.focus();
		}
		return true;
	}

	/*
	 * Makes the sheet as tall as the entry in it (frame e) needs, up to 85 %
	 * of the screen; a short screen keeps the whole height the style gives.
	 */
	function size(e) {
		var g = closer.parentNode, d = e.contentDocument;

		g.style.removeProperty("height");
		if (!root.classList.contains("sheet") || window.innerHeight < 500 || !d)
			return;
		g.style.height = Math.min(window.innerHeight * 0.85,
		    g.offsetHeight - e.clientHeight + d.documentElement.scrollHeight) + "px";
	}

	/* A swipe down closes the sheet: on its button, on the glossary frame and on the entry in it. */
	function swipes(d) {
		var e;

		if (!d || d.drfSwipes)
			return;
		d.drfSwipes = true;
		window.drfslidesSwipeDown(d, close);
		e = d.getElementById && d.getElementById("entry");
		if (e)
			e.addEventListener("load", function () {
				try {
					swipes(e.contentDocument);
					size(e);
				} catch (x) {
					/* not ours */
				}
			});
	}

	/* display.js opens the sheet; slide.js closes it on Esc and when the slide moves. */
	window.drfslidesHost = { closeOverlay: close, openSheet: open };
	closer.addEventListener("click", close);
	window.drfslidesSwipeDown(closer.parentNode, close);
	display.addEventListener("load", function () {
		try {
			swipes(display.contentDocument);
		} catch (e) {
			/* not ours */
		}
	});
	try {
		if (display.contentDocument && display.contentDocument.readyState === "complete")
			swipes(display.contentDocument);
	} catch (e) {
		/* not yet */
	}

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
	/* Who chooses the frames keeps them, even on a phone (frames.js). */
	if (frames)
		frames.addEventListener("click", function () {
			try {
				window.sessionStorage.setItem("drfslides-frames", "1");
			} catch (e) {
				/* no storage */
			}
		});
})();
