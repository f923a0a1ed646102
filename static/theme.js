/*
 * theme.js: the theme of every document of a deck: the deck's own (#theme,
 * the data-theme attribute it is served with), unless the viewer chose one
 * with a button of class theme-toggle; that choice is kept in localStorage
 * and followed at once by every document of the site, frames included. With
 * neither, a browser that asks for more contrast gets the high-contrast one.
 * Loaded first in <head>, it also marks the document as scripted ("js").
 */
"use strict";

(function () {
	var KEY = "drfslides-theme", root = document.documentElement;
	var deck = root.getAttribute("data-theme") || "", mine = null;
	var more = window.matchMedia ? window.matchMedia("(prefers-contrast: more)") : null;

	/* Returns the viewer's choice, or null. */
	function chosen() {
		var t = mine;

		try {
			t = window.localStorage.getItem(KEY) || mine;
		} catch (e) {
			/* storage refused: the choice lasts as long as the page */
		}
		return t === "default" || t === "high-contrast" ? t : null;
	}

	/* Returns the theme to show. */
	function theme() {
		return chosen() || deck || (more && more.matches ? "high-contrast" : "default");
	}

	/* Shows the theme and the state of every toggle. */
	function apply() {
		var t = theme(), b = document.querySelectorAll(".theme-toggle"), i;

		if (t === "default")
			root.removeAttribute("data-theme");
		else
			root.setAttribute("data-theme", t);
		for (i = 0; i < b.length; i++)
			b[i].setAttribute("aria-pressed", t === "high-contrast" ? "true" : "false");
	}

	/* Switches between the two themes and keeps the choice. */
	function toggle() {
		mine = theme() === "high-contrast" ? "default" : "high-contrast";
		try {
			window.localStorage.setItem(KEY, mine);
		} catch (e) {
			/* kept in this page only */
		}
		apply();
	}

	/* Returns 1 if the document around this frame has a toggle of its own (the view). */
	function outerToggle() {
		try {
			return window.parent !== window &&
			    window.parent.document.querySelector(".theme-toggle") !== null;
		} catch (e) {
			return false;
		}
	}

	/*
	 * Scripts run: the layout for them from the first paint (slide.js scales
	 * the canvas; the toggles show, but for one inside the view's own).
	 */
	root.classList.add("js");
	if (outerToggle())
		root.classList.add("toggle-outside");
	apply();
	window.addEventListener("storage", function (ev) {
		if (ev.key === KEY || ev.key === null)
			apply();
	});
	if (more && more.addEventListener)
		more.addEventListener("change", apply);
	document.addEventListener("DOMContentLoaded", function () {
		var b = document.querySelectorAll(".theme-toggle"), i;

		for (i = 0; i < b.length; i++)
			b[i].addEventListener("click", toggle);
		apply();
	});
})();
