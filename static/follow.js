/* follow.js: a follower's view: the slide follows the presenter's position, until the student moves on their own. */
"use strict";

(function () {
	var sync = window.drfslidesSync;
	var slide = document.getElementById("slide-frame");
	var state = document.getElementById("follow-state");
	var live = document.getElementById("follow-live");
	var announce = document.getElementById("announce");
	var total = Number(document.body.getAttribute("data-total"));
	var s = document.currentScript.dataset;	/* the interface strings */
	var following = true, expect = null, at = null, latest = null, tag = null;
	var POLL_MS = 400;

	if (!slide || !sync)
		return;

	/* Says where the follower is, and offers the way back when paused. */
	function say(text) {
		state.textContent = text;
		live.hidden = following;
		document.body.classList.toggle("paused", !following);
	}

	/* Says "following" with the position. */
	function sayLive() {
		if (latest)
			say(s.live + (latest.page + 1) + " / " + total);
	}

	/* Asks the browser to fetch the page after this one while the lecture is on this one. */
	function prefetch(page) {
		var l;

		if (page >= total || document.querySelector('link[data-page="' + page + '"]'))
			return;
		l = document.createElement("link");
		l.rel = "prefetch";
		l.href = String(page);
		l.setAttribute("data-page", String(page));
		document.head.appendChild(l);
	}

	/* Moves the slide to the presenter's position, if it is not there. */
	function drive() {
		if (!latest || (at && at.page === latest.page && at.step === latest.step))
			return;
		expect = { page: latest.page, step: latest.step };
		sync.show(slide, latest.page, latest.step);
		prefetch(latest.page + 1);
	}

	/* The slide moved: to where it was sent, or by the student's own hand, which pauses following. */
	sync.listen(function (page, step) {
		at = { page: page, step: step };
		/* Where the slide is, for the style sheet and for scripts around the page. */
		document.body.setAttribute("data-at", page + "." + step);
		if (announce)
			announce.textContent = (page + 1) + " / " + total;
		if (expect && expect.page === page) {
			expect = null;
			return;
		}
		if (following && latest && !(latest.page === page && latest.step === step)) {
			following = false;
			say(s.paused);
		}
	}, slide);

	/* Asks for the position; the answer is shared by every follower through the server's cache. */
	function poll() {
		var h = {};

		if (tag)
			h["If-None-Match"] = tag;
		fetch("position", { cache: "no-store", headers: h }).then(function (r) {
			if (r.status === 304)
				return null;
			if (!r.ok)
				throw new Error(String(r.status));
			tag = r.headers.get("ETag");
			return r.json();
		}).then(function (p) {
			if (p && typeof p.page === "number" && p.page >= 0 && p.page < total)
				latest = { page: p.page, step: p.step || 0 };
			if (following) {
				sayLive();
				drive();
			}
		}).catch(function () {
			say(s.lost);
		}).then(function () {
			setTimeout(poll, POLL_MS);
		});
	}

	live.addEventListener("click", function () {
		following = true;
		sayLive();
		drive();
		try {
			slide.contentWindow.focus();
		} catch (e) {
			slide.focus();
		}
	});
	/* The first load is where the follower starts, not a move of theirs. */
	expect = { page: Number(document.body.getAttribute("data-start")), step: 0 };
	poll();
})();
