/*
 * theme.js: the theme of every document of a deck: the deck's own (#theme,
 * the data-theme attribute it is served with), unless the viewer chose one
 * with a button of class theme-toggle; that choice is kept in localStorage
 * and followed at once by every document of the site, frames included. With
 * neither, a browser that asks for more contrast gets the high-contrast one.
 * Loaded first in <head>, it also marks the document as scripted ("js").
 *
 * It keeps the viewer's other choice too: whether the character keys (F,
 * B, O, G, ".", "/": one letter, digit or sign) act, which a button of class
 * keys-toggle turns off and on; slide.js and overview.js ask it
 * (drfslidesCharacterKey) before they answer one. The arrows, Page Up and
 * Down, Home, End, Space and Esc always act.
 */
"use strict";

(function () {
	var KEY = "drfslides-theme", KEYS = "drfslides-keys", root = document.documentElement;
	var deck = root.getAttribute("data-theme") || "", mine = null;
	var more = window.matchMedia ? window.matchMedia("(prefers-contrast: more)") : null;
	var keysOff = false;

	/* Returns the stored value of key k, or null. */
	function stored(k) {
		try {
			return window.localStorage.getItem(k);
		} catch (e) {
			return null;	/* storage refused */
		}
	}

	/* Stores value v of key k, where the browser lets it. */
	function store(k, v) {
		try {
			window.localStorage.setItem(k, v);
		} catch (e) {
			/* kept in this page only */
		}
	}

	/* Returns the viewer's choice, or null. */
	function chosen() {
		var t = stored(KEY) || mine;

		return t === "default" || t === "high-contrast" ? t : null;
	}

	/* Returns the theme to show. */
	function theme() {
		return chosen() || deck || (more && more.matches ? "high-contrast" : "default");
	}

	/* Returns true if the character keys act. */
	function keysOn() {
		var v = stored(KEYS);

		return v ? v !== "off" : !keysOff;
	}

	/* Shows the theme and the state of every toggle. */
	function apply() {
		var t = theme(), b = document.querySelectorAll(".theme-toggle"), i;
		var k = document.querySelectorAll(".keys-toggle");

		if (t === "default")
			root.removeAttribute("data-theme");
		else
			root.setAttribute("data-theme", t);
		for (i = 0; i < b.length; i++)
			b[i].setAttribute("aria-pressed", t === "high-contrast" ? "true" : "false");
		for (i = 0; i < k.length; i++)
			k[i].setAttribute("aria-pressed", keysOn() ? "true" : "false");
	}

	/* Switches between the two themes and keeps the choice. */
	function toggle() {
		mine = theme() === "high-contrast" ? "default" : "high-contrast";
		store(KEY, mine);
		apply();
	}

	/* Turns the character keys off or on and keeps the choice. */
	function toggleKeys() {
		keysOff = keysOn();
		store(KEYS, keysOff ? "off" : "on");
		apply();
	}

	/* Returns true if key k (a KeyboardEvent key) may act now. */
	window.drfslidesCharacterKey = function (k) {
		return String(k).length !== 1 || k === " " || keysOn();
	};

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
		if (ev.key === KEY || ev.key === KEYS || ev.key === null)
			apply();
	});
	if (more && more.addEventListener)
		more.addEventListener("change", apply);
	document.addEventListener("DOMContentLoaded", function () {
		var b = document.querySelectorAll(".theme-toggle"), i;

		for (i = 0; i < b.length; i++)
			b[i].addEventListener("click", toggle);
		b = document.querySelectorAll(".keys-toggle");
		for (i = 0; i < b.length; i++)
			b[i].addEventListener("click", toggleKeys);
		apply();
	});
})();
