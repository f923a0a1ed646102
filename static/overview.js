/* overview.js: the overview of a deck's pages: each small slide scaled to its card, the keys, and where a card leads. */
"use strict";

(function () {
	var thumbs = document.querySelectorAll(".thumb-stage");
	var links = document.querySelectorAll("a.thumb-link");
	var inFrame = window.name === "slide";

	document.documentElement.classList.add("js");
	/* Scales every small canvas to the width of its card. */
	function scale() {
		Array.prototype.forEach.call(thumbs, function (t) {
			var c = t.firstElementChild;

			if (c && c.offsetWidth > 0)
				c.style.setProperty("--scale", t.clientWidth / c.offsetWidth);
		});
	}

	/* Shrinks long pages to fit their small canvas, as the slide itself does (fit.js). */
	function fit() {
		Array.prototype.forEach.call(thumbs, function (t) {
			if (t.firstElementChild && window.drfslidesFit)
				window.drfslidesFit(t.firstElementChild);
		});
	}

	/* Moves the focus by d cards (a row is as many cards as fit across). */
	function move(d) {
		var i = Array.prototype.indexOf.call(links, document.activeElement);

		if (i < 0)
			i = 0;
		else
			i = Math.max(0, Math.min(links.length - 1, i + d));
		if (links[i])
			links[i].focus();
	}

	/* Returns the number of cards in a row. */
	function across() {
		var n = 1, top;

		if (links.length === 0)
			return 1;
		top = links[0].parentNode.offsetTop;
		while (n < links.length && links[n].parentNode.offsetTop === top)
			n++;
		return n;
	}

	/* Answers the keys: arrows move between cards, Esc or O goes back to the slide. */
	function key(k) {
		if (window.drfslidesCharacterKey && !window.drfslidesCharacterKey(k))
			return false;	/* the viewer turned the character keys off (theme.js) */
		switch (k) {
		case "ArrowRight": move(1); return true;
		case "ArrowLeft": move(-1); return true;
		case "ArrowDown": move(across()); return true;
		case "ArrowUp": move(-across()); return true;
		case "Escape": case "Esc": case "o": case "O":
			if (inFrame && window.history.length > 1)
				window.history.back();
			return true;
		default: return false;
		}
	}

	/*
	 * Outside a slide frame a card opens the single-document view at its
	 * page (a served deck's): by its label when it has one, a link that
	 * survives pages added before it.
	 */
	if (!inFrame && document.body.hasAttribute("data-view")) {
		Array.prototype.forEach.call(links, function (a) {
			var label = a.getAttribute("data-label");

			a.href = document.body.getAttribute("data-view") + "?page=" +
			    (label !== null ? encodeURIComponent("@" + label) : a.getAttribute("data-page"));
		});
	}
	window.drfslidesKey = key;
	document.addEventListener("keydown", function (ev) {
		if (!ev.altKey && !ev.ctrlKey && !ev.metaKey && key(ev.key))
			ev.preventDefault();
	});
	fit();
	scale();
	window.addEventListener("resize", scale);
	window.addEventListener("load", function () {
		fit();
		scale();
	});
	if (document.fonts && document.fonts.ready)
		document.fonts.ready.then(fit);
	/* The card of the page the presenter came from has the focus. */
	(function () {
		var page = new URLSearchParams(window.location.search).get("page");
		var el = page && /^[0-9]+$/.test(page) ? document.getElementById("page-" + page) : null;
		var a = el ? el.querySelector("a.thumb-link") : links[0];

		if (a) {
			if (inFrame)
				window.focus();
			a.focus();
			if (el)
				el.scrollIntoView({ block: "center" });
		}
	})();
})();
