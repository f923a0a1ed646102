/* slide.js: a slide page: the canvas scaled to fit, keyboard navigation, and the deep link in the top address bar; the links work without it. */
"use strict";

(function () {
	var doc = document.documentElement, canvas, stage;

	doc.classList.add("js");

	/* Returns 1 if the canvas shows all of its content. */
	function fits() {
		return canvas.scrollHeight <= canvas.clientHeight + 1;
	}

	/*
	 * Shrinks content taller than the canvas: pictures first, down to 45 %
	 * of the canvas, then everything, down to 60 % (the readable floor);
	 * past that the canvas scrolls and the page is marked as overflowing.
	 */
	function fit() {
		var st = canvas.style, pics, tall = 0, lo = 0.6, hi = 1, mid, i;

		canvas.classList.remove("overflow");
		st.removeProperty("--fit");
		st.removeProperty("--pic");
		doc.removeAttribute("data-overflow");
		if (fits())
			return;
		pics = canvas.querySelectorAll(".slide-body img, .slide-body video, .slide-body svg");
		for (i = 0; i < pics.length; i++)
			tall = Math.max(tall, pics[i].offsetHeight);
		if (tall > 0) {
			st.setProperty("--pic", Math.max(canvas.clientHeight * 0.45,
			    tall - (canvas.scrollHeight - canvas.clientHeight)) + "px");
			if (fits())
				return;
		}
		for (i = 0; i < 7; i++) {
			mid = (lo + hi) / 2;
			st.setProperty("--fit", mid);
			if (fits())
				lo = mid;
			else
				hi = mid;
		}
		st.setProperty("--fit", lo);
		if (!fits()) {
			canvas.classList.add("overflow");
			doc.setAttribute("data-overflow", "");
			document.dispatchEvent(new Event("drfslides:overflow"));
		}
	}

	/* Scales the canvas as a whole to the largest size the stage holds. */
	function scale() {
		var s = Math.min(stage.clientWidth / canvas.offsetWidth,
		    stage.clientHeight / canvas.offsetHeight);

		canvas.style.setProperty("--scale", s > 0 ? s : 1);
	}

	/* Follows the navigation link with the given rel, if the page has one. */
	function go(rel) {
		var a = document.querySelector('nav.slide-nav a[rel="' + rel + '"]');

		if (a)
			window.location.href = a.href;
	}

	/*
	 * Writes ?page=N into the address of the document that holds this frame
	 * (the frameset or the container), so that a reload or a copied address
	 * comes back to this slide. A parent of another origin (a course site
	 * that embeds a slide directly) cannot be touched, and is left alone.
	 */
	function follow() {
		var n = document.body.getAttribute("data-page"), p, u;

		if (window.parent === window || window.name !== "slide" || n === null)
			return;
		try {
			p = window.parent;
			if (p.location.origin !== window.location.origin)
				return;
			u = new URL(p.location.href);
			if (u.searchParams.get("page") === n)
				return;
			u.searchParams.set("page", n);
			p.history.replaceState(p.history.state, "",
			    u.pathname + u.search + u.hash);
		} catch (e) {
			/* cross-origin parent: nothing to update */
		}
	}

	/* Answers the navigation keys; the container forwards its own keys here too. */
	function key(ev) {
		var t = ev.target;

		if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented)
			return;
		if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName)))
			return;
		switch (ev.key) {
		case "ArrowRight": case "PageDown": case " ": case "Spacebar": go("next"); break;
		case "ArrowLeft": case "PageUp": go("prev"); break;
		case "Home": go("first"); break;
		case "End": go("last"); break;
		default: return;
		}
		ev.preventDefault();
	}

	document.addEventListener("keydown", key);
	window.drfslidesGo = go;
	canvas = document.getElementById("canvas");
	stage = canvas && canvas.parentNode;
	if (canvas) {
		fit();
		scale();
		if (window.ResizeObserver)
			new ResizeObserver(scale).observe(stage);
		else
			window.addEventListener("resize", scale);
		window.addEventListener("load", fit);
		if (document.fonts && document.fonts.ready)
			document.fonts.ready.then(fit);
	}
	follow();
})();
