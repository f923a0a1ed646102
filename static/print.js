/* print.js: the print view's glossary links and its print button. */
"use strict";

/* The interface strings come with the script element (data-print). */
var drfPrintText = document.currentScript.dataset;

/*
 * The slides' GLS() links call parent.display.openglossary("TERM.html"); in
 * this single document "parent" is the window itself, so "display" jumps to
 * the entry printed at the end.
 */
window.display = {
	openglossary: function (file) {
		var m = /^([A-Za-z0-9._%-]+)\.html$/.exec(String(file)), el;

		if (!m)
			return;
		el = document.getElementById("gls-" + decodeURIComponent(m[1]));
		if (el) {
			el.setAttribute("tabindex", "-1");
			el.scrollIntoView();
			el.focus();
		}
	}
};

document.addEventListener("DOMContentLoaded", function () {
	var bar = document.querySelector(".print-bar"), b;

	if (!bar || !window.print)
		return;
	b = document.createElement("button");
	b.type = "button";
	b.className = "print-button";
	b.textContent = drfPrintText.print;
	b.addEventListener("click", function () { window.print(); });
	bar.appendChild(b);
});
