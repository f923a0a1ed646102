/* slide.js: a slide page: the canvas scaled to fit, the presenter's keys, and the deep link in the top address bar; the links work without it. */
"use strict";

(function () {
	var doc = document.documentElement, canvas, stage, typed = null;
	var text = document.currentScript.dataset;	/* the interface strings */
	var steps = [], shown = 0;
	var script = document.currentScript ? document.currentScript.src : "";

	doc.classList.add("js");

	/*
	 * Shrinks content taller than the canvas (fit.js); past the readable
	 * floor the canvas scrolls and the page is marked as overflowing.
	 */
	function fit() {
		canvas.classList.remove("overflow");
		doc.removeAttribute("data-overflow");
		if (!window.drfslidesFit || window.drfslidesFit(canvas))
			return;
		canvas.classList.add("overflow");
		doc.setAttribute("data-overflow", "");
		document.dispatchEvent(new Event("drfslides:overflow"));
	}

	/* Scales the canvas as a whole to the largest size the stage holds. */
	function scale() {
		var s = Math.min(stage.clientWidth / canvas.offsetWidth,
		    stage.clientHeight / canvas.offsetHeight);

		canvas.style.setProperty("--scale", s > 0 ? s : 1);
	}

	/* Returns the presentation around this frame, if any (present.js). */
	function host() {
		try {
			return window.parent !== window ? window.parent.drfslidesHost || null : null;
		} catch (e) {
			return null;
		}
	}

	/* Follows the navigation link with the given rel, if the page has one. */
	function go(rel) {
		var a = document.querySelector('nav.slide-nav a[rel="' + rel + '"]'), h = host();

		if (h)
			h.closeOverlay();
		/* Back to a page shows it as it was left: every step shown. */
		if (a)
			window.location.href = a.href + (rel === "prev" ? "#all" : "");
	}

	/*
	 * Shows the next step of the page, or hides the last one shown (back);
	 * returns false when there is none left, and the page itself moves.
	 */
	function step(back) {
		var said = document.getElementById("step-said"), el;

		if (!doc.classList.contains("steps"))
			return false;
		if (back) {
			if (shown === 0)
				return false;
			steps[--shown].classList.remove("shown");
			return true;
		}
		if (shown >= steps.length)
			return false;
		el = steps[shown++];
		el.classList.add("shown");
		if (said)
			said.textContent = el.textContent;
		return true;
	}

	/* Shows the first n steps of the page and hides the others. */
	function showSteps(n) {
		var i;

		if (!doc.classList.contains("steps"))
			return;
		shown = Math.max(0, Math.min(n, steps.length));
		for (i = 0; i < steps.length; i++)
			steps[i].classList.toggle("shown", i < shown);
	}

	/*
	 * Tells the document around the slide frame (the presenter view, a
	 * follower's view, the audience window: sync.js) where the slide is:
	 * the page, the steps shown, the steps it has.
	 */
	function report() {
		var h = host(), n = steps.length;

		if (h && typeof h.moved === "function" && window.name === "slide")
			h.moved(Number(document.body.getAttribute("data-page")),
			    doc.classList.contains("steps") ? shown : 0,
			    doc.classList.contains("steps") ? n : 0);
	}

	/*
	 * Hides the steps of the page, except for a page come back to, where a
	 * browser without scripts, the print view, the export or a reader who
	 * asks for reduced motion (who see every step at once) are followed.
	 */
	function stepsInit() {
		var i;

		steps = document.querySelectorAll(".slide-body .step");
		if (steps.length === 0 || !document.body.hasAttribute("data-steps") ||
		    (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches))
			return;
		doc.classList.add("steps");
		if (window.location.hash === "#all") {
			for (i = 0; i < steps.length; i++)
				steps[i].classList.add("shown");
			shown = steps.length;
		} else if (/^#step=[0-9]+$/.test(window.location.hash))
			showSteps(Number(window.location.hash.slice(6)));
	}

	/* Shows page k (from 0): this page's address with its number changed. */
	function goPage(k) {
		var total = Number(document.body.getAttribute("data-total"));

		if (!(k >= 0 && k < total))
			return;
		window.location.href = window.location.href.replace(/[0-9]+(\.html)?([?#].*)?$/,
		    k + "$1");
	}

	/* Returns the outermost document of this origin: what fills the screen. */
	function outer() {
		var w = window;

		try {
			while (w.parent !== w && w.parent.document)
				w = w.parent;
		} catch (e) {
			/* another origin above: stop here */
		}
		return w.document;
	}

	/* Enters or leaves full screen, where the browser allows it. */
	function fullscreen() {
		var d = outer(), p;

		if (d.fullscreenElement) {
			d.exitFullscreen();
			return;
		}
		if (d.documentElement.requestFullscreen) {
			p = d.documentElement.requestFullscreen();
			if (p && p.catch)
				p.catch(function () { /* not allowed here */ });
		}
	}

	/* Opens the overview of every page, with this one's card in focus. */
	function overview() {
		var u = document.body.getAttribute("data-overview");

		if (!u)
			return;
		/* The frame keeps the focus across the load, so the card can take it. */
		window.focus();
		window.location.href = u + "?page=" + document.body.getAttribute("data-page");
	}

	/*
	 * Opens the search page (/) in the whole window: the one of the deck's
	 * course folder when it is in one (COURSE/search). Only served pages (the
	 * ones that carry data-steps) have a server to search; an exported site
	 * has none.
	 */
	function search() {
		var root = script.replace(/static\/slide\.js(\?.*)?$/, ""), rest, course, u;

		if (!document.body.hasAttribute("data-steps") || root === script ||
		    location.href.indexOf(root) !== 0)
			return false;
		rest = location.href.slice(root.length).split(/[?#]/)[0];
		/* NAME/N: the course is what NAME has before its last '/'. */
		course = rest.replace(/[^/]*\/[^/]*$/, "");
		u = root + course + "search";
		try {
			window.top.location.href = u;
		} catch (e) {
			window.open(u, "_top");
		}
		return true;
	}

	/* Shows what G has been given so far, or hides it (null). */
	function prompt(s) {
		var p = document.getElementById("drf-goto");

		if (!p) {
			p = document.createElement("p");
			p.id = "drf-goto";
			p.className = "goto";
			p.setAttribute("role", "status");
			document.body.appendChild(p);
		}
		p.hidden = s === null;
		p.textContent = text.goto + (s || "");
	}

	/* Blacks the screen out until the next key. */
	function blacken() {
		doc.classList.add("black");
	}

	/* G: the page number comes next, then Enter. */
	function startGoto() {
		typed = "";
		prompt(typed);
	}

	/* Moves forward a step, or to the next page. */
	function forward() {
		if (step(false))
			report();
		else
			go("next");
	}

	/* Moves back a step, or to the page before. */
	function back() {
		if (step(true))
			report();
		else
			go("prev");
	}

	/* Esc closes a glossary entry over the slide, or else opens the overview. */
	function escape() {
		var h = host();

		if (!(h && h.closeOverlay()))
			overview();
	}

	/*
	 * The presenter's keys and what each does; a new key is one line here.
	 * A key of one character (a letter, a digit, a sign) is a character
	 * key: the viewer may turn those off (theme.js), the others always work.
	 */
	var KEYS = {
		ArrowRight: forward, PageDown: forward, " ": forward, Spacebar: forward,
		ArrowLeft: back, PageUp: back,
		Home: function () { go("first"); },
		End: function () { go("last"); },
		f: fullscreen, F: fullscreen,
		b: blacken, B: blacken, ".": blacken,
		g: startGoto, G: startGoto,
		Escape: escape, Esc: escape,
		o: overview, O: overview,
		"/": search
	};

	/* Answers one key; returns true if it was the slide's. */
	function answer(k) {
		if (doc.classList.contains("black") && k !== "Shift") {
			doc.classList.remove("black");
			return true;
		}
		if (typed !== null) {
			if (/^[0-9]$/.test(k)) {
				typed += k;
				prompt(typed);
			} else {
				if (k === "Enter" && typed !== "")
					goPage(Number(typed) - 1);
				typed = null;
				prompt(null);
			}
			return true;
		}
		if (!Object.prototype.hasOwnProperty.call(KEYS, k) ||
		    (window.drfslidesCharacterKey && !window.drfslidesCharacterKey(k)))
			return false;
		/* Only search can decline (an exported deck has no server). */
		return KEYS[k]() !== false;
	}

	/*
	 * Writes ?page=N into the address of the document that holds this frame
	 * (the frameset or the container), so that a reload or a copied address
	 * comes back to this slide: ?page=@LABEL when the slide has a label, an
	 * address that keeps leading to it when pages are added before it. A parent of another origin (a course site
	 * that embeds a slide directly) cannot be touched, and is left alone.
	 */
	function follow() {
		var n = document.body.getAttribute("data-page"), p, u;
		var label = document.body.getAttribute("data-label");

		if (window.parent === window || window.name !== "slide" || n === null)
			return;
		try {
			p = window.parent;
			if (p.location.origin !== window.location.origin)
				return;
			u = new URL(p.location.href);
			if (label !== null)
				n = "@" + label;
			if (u.searchParams.get("page") === n)
				return;
			u.searchParams.set("page", n);
			p.history.replaceState(p.history.state, "",
			    u.pathname + u.search + u.hash);
		} catch (e) {
			/* cross-origin parent: nothing to update */
		}
	}

	/* Returns true if el or what holds it on the slide scrolls sideways (a wide table or code). */
	function scrollsSideways(el) {
		for (; el && el !== canvas && el.nodeType === 1; el = el.parentNode)
			if (el.scrollWidth > el.clientWidth + 1 &&
			    /^(auto|scroll)$/.test(getComputedStyle(el).overflowX))
				return true;
		return false;
	}

	/*
	 * A finger moved sideways across the slide moves like the arrow keys:
	 * to the left for the next step or page, to the right for the one
	 * before. A wide table or code block keeps its own sideways scroll.
	 */
	function swipes() {
		var x0 = null, y0 = 0;

		document.addEventListener("touchstart", function (ev) {
			var t = ev.touches[0];

			x0 = ev.touches.length === 1 && !scrollsSideways(ev.target) ? t.clientX : null;
			y0 = t.clientY;
		}, { passive: true });
		document.addEventListener("touchend", function (ev) {
			var t = ev.changedTouches[0], dx, dy;

			if (x0 === null || !t)
				return;
			dx = t.clientX - x0;
			dy = t.clientY - y0;
			x0 = null;
			if (Math.abs(dx) >= 40 && Math.abs(dx) > 1.5 * Math.abs(dy))
				answer(dx < 0 ? "ArrowRight" : "ArrowLeft");
		});
	}

	/* Answers the keys pressed on the slide. */
	function key(ev) {
		var t = ev.target;

		if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented)
			return;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)))
			return;
		if (t && t.tagName === "A" && (ev.key === " " || ev.key === "Enter") && typed === null)
			return;
		if (answer(ev.key))
			ev.preventDefault();
	}

	document.addEventListener("keydown", key);
	swipes();
	window.drfslidesGo = go;
	/* The documents around the slide (frames.js) hand their keys to this. */
	window.drfslidesKey = answer;
	/* sync.js moves the steps of the page shown without loading it again. */
	window.drfslidesStep = function (n) {
		showSteps(n);
		report();
	};
	/* The page holding this frame may start listening after the frame reported. */
	window.drfslidesReport = report;
	try {
		if (window.parent !== window &&
		    window.parent.document.documentElement.classList.contains("drf-present"))
			doc.classList.add("in-present");
		/* A frame of the presenter view other than the slide: the preview of what comes next. */
		if (window.parent !== window && window.name !== "slide" &&
		    doc.classList.contains("in-present"))
			doc.classList.add("preview");
	} catch (e) {
		/* another origin */
	}
	stepsInit();
	canvas = document.getElementById("canvas");
	stage = canvas && canvas.parentNode;
	if (canvas) {
		fit();
		scale();
		/* Shown once fitted: text that shrinks in view is a layout shift. */
		canvas.classList.add("fitted");
		if (window.ResizeObserver)
			new ResizeObserver(scale).observe(stage);
		else
			window.addEventListener("resize", scale);
		window.addEventListener("load", fit);
		if (document.fonts && document.fonts.ready)
			document.fonts.ready.then(fit);
	}
	follow();
	report();
})();
