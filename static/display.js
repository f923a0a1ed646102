/* display.js: the display frame's openglossary(), called by the slides' GLS() links. */
"use strict";

/*
 * Shows a glossary entry in the frame's inner iframe, so this document (and
 * the function) stays in place for the next click. Only a plain file name
 * ending in .html is accepted (a term of drf(5), percent-encoded): the link
 * text comes from a deck. Returns
 * nothing, because a javascript: URL that yields a string replaces the page.
 */
function openglossary(file) {
	var entry, hint, h;

	/* A term as drf(5) and check have it: not starting with '.', '-' allowed anywhere. */
	if (typeof file !== "string" || !/^[A-Za-z0-9_%-][A-Za-z0-9._%-]*\.html$/.test(file))
		return;
	entry = document.getElementById("entry");
	hint = document.getElementById("hint");
	entry.src = "glossary/" + file;
	entry.hidden = false;
	if (hint)
		hint.hidden = true;
	/* On a phone the view shows the glossary as a sheet: slide it up. */
	try {
		h = window.parent !== window ? window.parent.drfslidesHost : null;
		if (h && h.openSheet)
			h.openSheet();
	} catch (e) {
		/* another origin */
	}
}

/* The layout links carry the slide being shown (the address of the frameset or container). */
document.addEventListener("click", function (ev) {
	var a = ev.target.closest ? ev.target.closest("a.to-view, a.to-present") : null;

	if (!a)
		return;
	try {
		a.search = window.parent.location.search;
	} catch (e) {
		/* keep the plain link */
	}
});

/* Inside the single-document view, the link to itself is not needed. */
document.addEventListener("DOMContentLoaded", function () {
	var a = document.querySelector("a.to-view");

	try {
		if (a && window.parent !== window &&
		    window.parent.document.documentElement.classList.contains("drf-view")) {
			a.hidden = true;
			document.documentElement.classList.add("in-view");
		}
	} catch (e) {
		/* another origin: keep it */
	}
});
