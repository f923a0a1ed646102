/* presenter.js: the presenter view: notes, the next slide or step, timer and clock; it sets the position the audience window and the followers show. */
"use strict";

(function () {
	var sync = window.drfslidesSync;
	var $ = function (id) { return document.getElementById(id); };
	var slide = $("slide-frame"), next = $("next-frame");
	var total = Number(document.body.getAttribute("data-total"));
	var deck = document.body.getAttribute("data-deck");
	var s = document.currentScript.dataset;	/* the interface strings */
	var KEY = "drfslides-presenter-key";
	var key = null, notes = null, at = null, audience = null, chan;
	var started = 0, elapsed = 0, running = false;

	if (!slide || !sync)
		return;
	try {
		key = window.sessionStorage.getItem(KEY);
	} catch (e) {
		/* no storage: asked again on the next load */
	}

	/* The headers of a presenter request: the key, never in the address. */
	function auth(extra) {
		var h = extra || {};

		if (key)
			h.Authorization = "Bearer " + key;
		return h;
	}

	/* Says something in the status line. */
	function status(text) {
		$("p-status").textContent = text;
	}

	/* Asks for the key (again), saying why. */
	function ask(why) {
		var d = $("p-key");

		$("p-key-error").textContent = why || "";
		if (d.open)
			return;
		if (typeof d.showModal === "function")
			d.showModal();
		else
			d.setAttribute("open", "");
		$("p-key-input").focus();
	}

	/* Explains a refused presenter request; returns true if it was refused. */
	function refused(r) {
		if (r.status === 401) {
			ask("");
		} else if (r.status === 403) {
			ask(s.wrongKey);
		} else if (r.status === 429) {
			ask(s.tooMany);
		} else if (r.status === 404) {
			status(s.noKey);
		} else if (!r.ok) {
			status(s.error + r.status);
		} else
			return false;
		return true;
	}

	/* Shows the notes of the current page. */
	function showNotes() {
		var el = $("p-notes");

		if (!at)
			return;
		if (notes === null)
			el.textContent = "";
		else if (notes[at.page])
			el.innerHTML = notes[at.page];
		else
			el.innerHTML = '<p class="presenter-none">' + s.noNotes + "</p>";
	}

	/*
	 * Fetches the speaker notes with the key. A failure of the network or
	 * the server (5xx) is tried again, after 1, 2, 4, then every 8 s, so that
	 * a server restarting before the lecture does not leave the presenter
	 * without notes; a refused key waits for the key.
	 */
	var notesRetry = 0, notesTimer = null;
	function loadNotes() {
		clearTimeout(notesTimer);
		fetch("notes", { headers: auth(), cache: "no-store" }).then(function (r) {
			if (r.status >= 500)
				throw new Error(String(r.status));
			if (refused(r))
				return null;
			return r.json();
		}).then(function (j) {
			notesRetry = 0;
			if (!j || !Array.isArray(j.notes))
				return;
			notes = j.notes;
			showNotes();
			send();
		}).catch(function () {
			status(s.notesFailed);
			notesTimer = setTimeout(loadNotes, 1000 * Math.min(8, Math.pow(2, notesRetry++)));
		});
	}

	/* Sends the position to the server, for the followers. */
	function send() {
		if (!at || notes === null)
			return;
		fetch("position", {
			method: "POST",
			headers: auth({ "Content-Type": "application/x-www-form-urlencoded" }),
			body: "page=" + at.page + "&step=" + at.step,
			cache: "no-store"
		}).then(function (r) {
			if (!refused(r))
				status(s.live + (at.page + 1) + " / " + total);
		}).catch(function () {
			status(s.sendFailed);
		});
	}

	/* Shows the next step of this page, or the next page, in the small frame. */
	function showNext(steps) {
		var end = at.step >= steps && at.page + 1 >= total;

		$("p-end").hidden = !end;
		next.hidden = end;
		if (end)
			return;
		if (at.step < steps)
			sync.show(next, at.page, at.step + 1);
		else
			sync.show(next, at.page + 1, 0);
	}

	/* The slide moved (a key here, or the audience window): everything follows. */
	sync.listen(function (page, step, steps) {
		if (at && at.page === page && at.step === step)
			return;
		at = { page: page, step: step };
		document.body.setAttribute("data-at", page + "." + step);
		$("p-counter").textContent = (page + 1) + " / " + total;
		$("p-step").textContent = steps > 0 ? s.step + step + "/" + steps : "";
		showNotes();
		showNext(steps);
		if (chan)
			chan.postMessage({ type: "pos", page: page, step: step });
		send();
	}, slide);

	/* The audience window asks where to be, or was moved by a key there. */
	chan = sync.channel(deck);
	if (chan)
		chan.onmessage = function (ev) {
			var m = ev.data || {};

			if (m.type === "hello" && at)
				chan.postMessage({ type: "pos", page: at.page, step: at.step });
			else if (m.type === "pos" && typeof m.page === "number" &&
			    !(at && at.page === m.page && at.step === m.step))
				sync.show(slide, m.page, m.step);
		};

	$("p-audience").addEventListener("click", function () {
		var u = "present?page=" + (at ? at.page : 0) + "#step=" + (at ? at.step : 0);

		if (audience && !audience.closed) {
			audience.focus();
			return;
		}
		audience = window.open(u, "drfslides-audience-" + deck);
	});

	/* The handout with notes: fetched with the key, shown in a new window of this site. */
	$("p-handout").addEventListener("click", function () {
		var w = window.open("", "_blank");

		fetch("print?notes=1", { headers: auth(), cache: "no-store" }).then(function (r) {
			if (refused(r)) {
				if (w)
					w.close();
				return null;
			}
			return r.text();
		}).then(function (html) {
			if (html === null || !w)
				return;
			w.document.open();
			w.document.write(html);
			w.document.close();
		});
	});

	$("p-key-form").addEventListener("submit", function () {
		key = $("p-key-input").value.trim();
		$("p-key-input").value = "";
		try {
			window.sessionStorage.setItem(KEY, key);
		} catch (e) {
			/* kept for this page only */
		}
		loadNotes();
	});

	/* The timer: start, pause, reset; and the clock. */
	function tick() {
		var now = new Date(), s = elapsed + (running ? (Date.now() - started) / 1000 : 0);

		$("p-timer").textContent = sync.hms(s);
		$("p-clock").textContent = now.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
	}
	$("p-timer-go").addEventListener("click", function () {
		if (running)
			elapsed += (Date.now() - started) / 1000;
		else
			started = Date.now();
		running = !running;
		this.textContent = running ? s.pause : s.resume;
		tick();
	});
	$("p-timer-reset").addEventListener("click", function () {
		elapsed = 0;
		started = Date.now();
		if (!running)
			$("p-timer-go").textContent = s.start;
		tick();
	});
	tick();
	setInterval(tick, 1000);
	loadNotes();
})();
