/* present.js: the presentation: glossary entries as an overlay over the slide, the page announcement. */
"use strict";

(function () {
	var slide = document.getElementById("slide-frame");
	var overlay = document.getElementById("gls-overlay");
	var entry = document.getElementById("gls-frame");
	var closer = document.getElementById("gls-close");
	var announce = document.getElementById("announce");

	/*
	 * The audience window of a presenter view in this browser (the window
	 * its button opened, by name): it shows where the presenter view is,
	 * and a key pressed here moves the presenter view too. Any other
	 * presentation of the deck goes its own way.
	 */
	function audience() {
		var sync = window.drfslidesSync, chan, at = null, first = true;
		var deck = document.body.getAttribute("data-deck");

		if (window.name !== "drfslides-audience-" + deck)
			return;
		chan = sync && sync.channel(deck);
		if (!chan)
			return;
		chan.onmessage = function (ev) {
			var m = ev.data || {};

			if (m.type === "pos" && typeof m.page === "number" &&
			    !(at && at.page === m.page && at.step === m.step)) {
				at = { page: m.page, step: m.step };
				sync.show(slide, m.page, m.step);
			}
		};
		sync.listen(function (page, step) {
			var moved = !(at && at.page === page && at.step === step);

			at = { page: page, step: step };
			/* The first load asks the presenter view where to be. */
			if (first) {
				first = false;
				chan.postMessage({ type: "hello" });
			} else if (moved)
				chan.postMessage({ type: "pos", page: page, step: step });
		}, slide);
	}

	if (!slide)
		return;

	/* Hides the glossary entry and gives the keys back to the slide; returns 1 if it was open. */
	function close() {
		if (overlay.hidden)
			return false;
		overlay.hidden = true;
		try {
			slide.contentWindow.focus();
		} catch (e) {
			slide.focus();
		}
		return true;
	}

	/*
	 * The slides' GLS() links call parent.display.openglossary("TERM.html"):
	 * here "display" is this object, and the entry opens over the slide.
	 */
	window.display = {
		openglossary: function (file) {
			if (typeof file !== "string" || !/^[A-Za-z0-9_%][A-Za-z0-9._%-]*\.html$/.test(file))
				return;
			entry.src = "glossary/" + file;
			overlay.hidden = false;
			closer.focus();
		}
	};
	window.drfslidesHost = { closeOverlay: close };
	audience();

	closer.addEventListener("click", close);
	overlay.addEventListener("click", function (ev) {
		if (ev.target === overlay)
			close();
	});
	/* Esc closes the entry before anything else sees it; a slide key closes it too. */
	window.addEventListener("keydown", function (ev) {
		if (overlay.hidden)
			return;
		if (ev.key === "Escape" || ev.key === "Esc") {
			close();
			ev.preventDefault();
		} else if (/^(ArrowRight|ArrowLeft|PageUp|PageDown|Home|End)$/.test(ev.key))
			close();
	}, true);
	/* On a phone the entry is a sheet from the bottom: a swipe down closes it too. */
	window.drfslidesSwipeDown(closer.parentNode, close);
	entry.addEventListener("load", function () {
		try {
			window.drfslidesSwipeDown(entry.contentDocument, close);
			entry.contentDocument.addEventListener("keydown", function (ev) {
				if ((ev.key === "Escape" || ev.key === "Esc") && close())
					ev.preventDefault();
			});
		} catch (e) {
			/* not ours */
		}
	});

	/* Announces "N / total" and takes the slide's title whenever the slide frame shows a new page. */
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
})();
