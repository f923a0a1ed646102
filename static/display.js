/* display.js: the display frame's openglossary(), called by the slides' GLS() links. */
"use strict";

/*
 * Shows a glossary entry in the frame's inner iframe, so this document (and
 * the function) stays in place for the next click. Only a plain file name
 * ending in .html is accepted: the link text comes from a deck. Returns
 * nothing, because a javascript: URL that yields a string replaces the page.
 */
function openglossary(file) {
	var entry, hint;

	if (typeof file !== "string" || !/^[A-Za-z0-9_%][A-Za-z0-9._%-]*\.html$/.test(file))
		return;
	entry = document.getElementById("entry");
	hint = document.getElementById("hint");
	entry.src = "glossary/" + file;
	entry.hidden = false;
	if (hint)
		hint.hidden = true;
}
