// present.mjs: the presentation tests of drfslides (run by tests/present.sh); prints TAP
// numbered from TAP_START + 1. Environment: DEV_URL and NGX_URL (the top of the
// decks on each server, ending in "/"), COURSE_URL (another origin), CHROMIUM,
// ARTIFACTS (screenshots).
import { artifacts, assert, finish, launch, sleep, test } from "./tap.mjs";

const env = process.env;
const art = artifacts("present");

// The screen sizes every layout is tried at: phone, tablet, projectors, monitors, 4K.
const SIZES = [[390, 844], [768, 1024], [1024, 768], [1280, 800], [1920, 1080], [3840, 2160]];
// The decks and their page counts: the bundled one and the one of long content.
const DECKS = [["smtp", 13], ["long", 5]];

// Returns the frame that shows the slide: the one named "slide", or the page itself.
function slideFrame(page) {
	return page.frame({ name: "slide" }) || page.mainFrame();
}

// Waits until the slide shows page want, laid out (scaled, pictures and fonts loaded).
async function slideReady(page, want, timeout = 15000) {
	const end = Date.now() + timeout;
	let got = null;
	for (;;) {
		try {
			got = await slideFrame(page).evaluate(async () => {
				const c = document.getElementById("canvas");
				if (document.readyState !== "complete" || !c || !c.style.getPropertyValue("--scale"))
					return null;
				await document.fonts.ready;
				await new Promise((r) => setTimeout(r, 30));
				return document.body.dataset.page;
			});
		} catch { got = null; }	// navigating
		if (got === String(want))
			return;
		if (Date.now() > end)
			throw new Error(`the slide shows page ${got}, not ${want}`);
		await sleep(40);
	}
}

// Lists what does not fit in every document of the page: scroll bars, a canvas
// or navigation outside its frame, an overflowing canvas.
async function misfits(page) {
	const bad = [];
	for (const f of page.frames()) {
		let r;
		try {
			r = await f.evaluate(() => {
				const e = document.scrollingElement || document.documentElement;
				const out = [];
				if (!document.body || location.href === "about:blank")
					return out;
				if (e.scrollHeight > e.clientHeight + 1)
					out.push(`scrolls down (${e.scrollHeight} > ${e.clientHeight})`);
				if (e.scrollWidth > e.clientWidth + 1)
					out.push(`scrolls sideways (${e.scrollWidth} > ${e.clientWidth})`);
				const c = document.getElementById("canvas");
				if (c) {
					const b = c.getBoundingClientRect();
					if (b.top < -1 || b.left < -1 || b.bottom > innerHeight + 1 || b.right > innerWidth + 1)
						out.push(`canvas ${JSON.stringify(b)} outside ${innerWidth}x${innerHeight}`);
					if (document.documentElement.hasAttribute("data-overflow"))
						out.push("the canvas overflows past the readable floor");
					const nav = document.querySelector("nav.slide-nav");
					const nb = nav && nav.getBoundingClientRect();
					if (nav && getComputedStyle(nav).display !== "none" &&
					    (nb.bottom > innerHeight + 1 || nb.height < 20))
						out.push(`navigation at ${nb.top}..${nb.bottom} of ${innerHeight}`);
				}
				return out;
			});
		} catch (e) {
			r = [`cannot be read: ${e.message}`];
		}
		for (const m of r)
			bad.push(`${f.name() || "top"} ${f.url()}: ${m}`);
	}
	return bad;
}

const browser = await launch();

// One tab per screen size, reused by every check of a server; one context, so
// that they share the browser's few connections to a server.
async function tabs() {
	const ctx = await browser.newContext();
	return Promise.all(SIZES.map(async ([w, h]) => {
		const page = await ctx.newPage();
		await page.setViewportSize({ width: w, height: h });
		page.errors = [];
		page.on("pageerror", (e) => page.errors.push(String(e)));
		page.size = `${w}x${h}`;
		return page;
	}));
}

// The layouts: the address of page k of deck in each.
const LAYOUTS = [
	["frameset", (deck, k) => `${deck}/?page=${k}`],
	["view", (deck, k) => `${deck}/view?page=${k}`],
	["page", (deck, k) => `${deck}/${k}`],
	["presentation", (deck, k) => `${deck}/present?page=${k}`],
];

async function canvas(label, base, pages) {
	// Both servers send the same bytes: the second one is tried at the phone,
	// the projector and the 4K sizes, to keep the run short.
	const matrix = label === "dev" ? pages : [pages[0], pages[2], pages[5]];
	for (const [layout, url] of LAYOUTS) {
		const t0 = Date.now();
		await test(`${label}: every page fits its canvas without a scroll bar in the ${layout}, at ${matrix.map((p) => p.size).join(", ")}`, async () => {
			const bad = [];
			await Promise.all(matrix.map(async (page) => {
				for (const [deck, total] of DECKS) {
					await page.goto(base + url(deck, 0));
					for (let k = 0; k < total; k++) {
						// The next page in the same layout: the slide frame moves.
						if (k > 0)
							await slideFrame(page).goto(base + `${deck}/${k}`);
						await slideReady(page, k);
						for (const m of await misfits(page))
							bad.push(`${page.size} ${deck} page ${k}: ${m}`);
						if ((deck === "smtp" && k === 1) || (deck === "long" && k === 3))
							await page.screenshot({ path: `${art}/${label}-${layout}-${deck}${k}-${page.size}.png` });
					}
				}
			}));
			assert(bad.length === 0, bad.join("\n"));
		}, 180000);
		console.log(`# ${label} ${layout}: ${Date.now() - t0} ms`);
	}

	await test(`${label}: the canvas keeps its shape (16:9) and is letterboxed in its frame`, async () => {
		const bad = [];
		await Promise.all(pages.map(async (page) => {
			await page.goto(base + "smtp/view?page=2");
			await slideReady(page, 2);
			const g = await slideFrame(page).evaluate(() => {
				const b = document.getElementById("canvas").getBoundingClientRect();
				const s = document.querySelector(".stage").getBoundingClientRect();
				return { w: b.width, h: b.height, sw: s.width, sh: s.height };
			});
			if (Math.abs(g.w / g.h - 16 / 9) > 0.01)
				bad.push(`${page.size}: ${g.w}x${g.h}`);
			// Letterboxed: it touches two opposite sides of the stage.
			if (Math.abs(g.w - g.sw) > 1 && Math.abs(g.h - g.sh) > 1)
				bad.push(`${page.size}: ${g.w}x${g.h} in a stage of ${g.sw}x${g.sh}`);
		}));
		assert(bad.length === 0, bad.join("\n"));
	});

	await test(`${label}: a page too long for the readable floor scrolls inside its canvas and is marked`, async () => {
		const page = pages[2];
		await page.goto(base + "toolong/0");
		await slideReady(page, 0);
		await sleep(300);
		const r = await page.evaluate((label) => {
			const c = document.getElementById("canvas");
			return { marked: document.documentElement.hasAttribute("data-overflow"),
			    scrolls: c.scrollHeight > c.clientHeight && getComputedStyle(c).overflowY === "auto",
			    fit: getComputedStyle(c).getPropertyValue("--fit").trim(),
			    banner: label === "dev" ? !!document.querySelector(".drf-dev-overflow") : null };
		}, label);
		assert(r.marked && r.scrolls, JSON.stringify(r));
		assert(Number(r.fit) >= 0.6 && Number(r.fit) < 0.61, `shrunk to ${r.fit}, not the floor`);
		if (label === "dev")
			assert(r.banner, "the dev server does not say the page overflows");
		else
			assert(await page.locator(".drf-dev-overflow").count() === 0, "a banner outside the dev server");
	});

	await test(`${label}: a deck with "#aspect 4:3" has a 4:3 canvas`, async () => {
		const page = pages[3];
		await page.goto(base + "square/?page=0");
		await slideReady(page, 0);
		const r = await slideFrame(page).evaluate(() => {
			const b = document.getElementById("canvas").getBoundingClientRect();
			return b.width / b.height;
		});
		assert(Math.abs(r - 4 / 3) < 0.01, `aspect ${r}`);
		await page.screenshot({ path: `${art}/${label}-aspect43-${page.size}.png` });
	});
}

// Waits until the slide frame's address ends with tail (e.g. the overview).
async function frameAt(page, re, timeout = 6000) {
	const end = Date.now() + timeout;
	while (!re.test(slideFrame(page).url())) {
		if (Date.now() > end)
			throw new Error(`the slide frame is at ${slideFrame(page).url()}, not ${re}`);
		await sleep(40);
	}
}

// Waits until the top address ends with tail.
async function topAt(page, tail, timeout = 4000) {
	const end = Date.now() + timeout;
	while (!page.url().endsWith(tail)) {
		if (Date.now() > end)
			throw new Error(`the address is ${page.url()}, not ...${tail}`);
		await sleep(40);
	}
}

// Presses the keys in order, each followed by the page the slide must then show.
async function keys(page, seq) {
	for (const [k, want] of seq) {
		await page.keyboard.press(k);
		await slideReady(page, want);
	}
}

// Waits until a glossary entry for term shows in the frame named name (or any frame).
async function entryShows(page, term, timeout = 6000) {
	const end = Date.now() + timeout;
	for (;;) {
		const f = page.frames().find((x) => x.url().endsWith(`/glossary/${term}.html`));
		if (f) {
			try {
				if (await f.evaluate(() => document.readyState === "complete" && !!document.querySelector("article.entry")))
					return f;
			} catch { /* loading */ }
		}
		if (Date.now() > end)
			throw new Error(`no frame shows the entry ${term}`);
		await sleep(40);
	}
}

async function present(label, base, pages) {
	const big = pages[2];	// 1024x768, a projector

	await test(`${label}: in the presentation the canvas fills at least 90 % of the screen's limiting dimension, at every size`, async () => {
		const bad = [];
		await Promise.all(pages.map(async (page) => {
			await page.goto(base + "smtp/present?page=1");
			await slideReady(page, 1);
			const b = await slideFrame(page).evaluate(() => {
				const r = document.getElementById("canvas").getBoundingClientRect();
				return { w: r.width, h: r.height };
			});
			const vp = page.viewportSize();
			const share = Math.max(b.w / vp.width, b.h / vp.height);
			if (share < 0.9)
				bad.push(`${page.size}: canvas ${b.w}x${b.h} is ${Math.round(share * 100)} %`);
		}));
		assert(bad.length === 0, bad.join("\n"));
	});

	await test(`${label}: in the presentation at 1024x768, body text renders at 28 CSS px or more on every page of the bundled deck`, async () => {
		const bad = [];
		await big.goto(base + "smtp/present?page=0");
		for (let k = 0; k < 13; k++) {
			if (k > 0)
				await slideFrame(big).goto(base + `smtp/${k}`);
			await slideReady(big, k);
			const px = await slideFrame(big).evaluate(() => {
				const c = document.getElementById("canvas");
				const s = Number(getComputedStyle(c).getPropertyValue("--scale"));
				const body = document.querySelector(".slide-body");
				return parseFloat(getComputedStyle(body).fontSize) * s;
			});
			if (!(px >= 28))
				bad.push(`page ${k}: ${px.toFixed(1)} px`);
		}
		assert(bad.length === 0, bad.join("\n"));
	});

	for (const [layout, doc] of [["frameset", "smtp/?page=2"], ["view", "smtp/view?page=2"], ["presentation", "smtp/present?page=2"]]) {
		await test(`${label}: clicker keys work right after the ${layout} loads, without a click (→ PageDown Space ← PageUp)`, async () => {
			await big.goto(base + doc);
			await slideReady(big, 2);
			await keys(big, [["ArrowRight", 3], ["PageDown", 4], [" ", 5], ["ArrowLeft", 4], ["PageUp", 3]]);
		});
	}

	for (const [layout, doc] of [["frameset", "smtp/?page=1"], ["view", "smtp/view?page=1"]]) {
		await test(`${label}: keys keep working in the ${layout} after a click in the glossary`, async () => {
			await big.goto(base + doc);
			await slideReady(big, 1);
			await slideFrame(big).click("a[href*='\"ppp.html\"']");
			const f = await entryShows(big, "ppp");
			await f.click("article.entry", { position: { x: 3, y: 3 } });
			await keys(big, [["ArrowRight", 2], ["PageUp", 1]]);
		});
	}

	await test(`${label}: in the presentation a glossary link opens its entry over the slide; Esc closes it and the keys work on`, async () => {
		await big.goto(base + "smtp/present?page=1");
		await slideReady(big, 1);
		await slideFrame(big).click("a[href*='\"ppp.html\"']");
		const f = await entryShows(big, "ppp");
		assert(await big.isVisible("#gls-overlay"), "the overlay is not shown");
		assert(/PPP/.test(await f.textContent("article.entry")), "not the PPP entry");
		await f.click("article.entry", { position: { x: 3, y: 3 } });
		await big.keyboard.press("Escape");
		await big.waitForSelector("#gls-overlay", { state: "hidden", timeout: 3000 });
		await keys(big, [["ArrowRight", 2]]);
		// A second entry, closed by a click beside it; still on page 2.
		await slideFrame(big).click("a[href*='\"smtpserver.html\"']");
		await entryShows(big, "smtpserver");
		await big.mouse.click(5, 5);
		await big.waitForSelector("#gls-overlay", { state: "hidden", timeout: 3000 });
		await keys(big, [["ArrowRight", 3]]);
		const t = await slideFrame(big).evaluate(() => typeof parent.display.openglossary);
		assert(t === "function", "parent.display.openglossary is gone");
	});

	await test(`${label}: ?page=N opens the presentation at page N and the address follows the slide`, async () => {
		await big.goto(base + "smtp/present?page=6");
		await slideReady(big, 6);
		await keys(big, [["ArrowRight", 7]]);
		await topAt(big, "smtp/present?page=7");
	});

	await test(`${label}: F enters and leaves full screen`, async () => {
		await big.bringToFront();
		await big.goto(base + "smtp/present?page=0");
		await slideReady(big, 0);
		await big.keyboard.press("f");
		await big.waitForFunction(() => document.fullscreenElement === document.documentElement, null, { timeout: 3000 });
		await big.keyboard.press("f");
		await big.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 3000 });
	});

	await test(`${label}: B and . black the screen; the next key brings the slide back`, async () => {
		for (const k of ["b", "."]) {
			await big.keyboard.press(k);
			const black = await slideFrame(big).evaluate(() => {
				const s = getComputedStyle(document.body, "::after");
				return document.documentElement.classList.contains("black") && s.position === "fixed" &&
				    s.backgroundColor === "rgb(0, 0, 0)";
			});
			assert(black, `${k} did not black the screen`);
			await big.screenshot({ path: `${art}/${label}-presentation-black.png` });
			await big.keyboard.press(k);
			assert(!await slideFrame(big).evaluate(() => document.documentElement.classList.contains("black")),
			    "the screen stays black");
		}
		await slideReady(big, 0);
	});

	await test(`${label}: G, a number and Enter go to that page`, async () => {
		await big.keyboard.press("g");
		await big.keyboard.press("1");
		await big.keyboard.press("1");
		await big.keyboard.press("Enter");
		await slideReady(big, 10);
	});

	await test(`${label}: O opens the overview of every page; a click on a card lands on its page`, async () => {
		await big.keyboard.press("o");
		await frameAt(big, /\/overview\?page=10$/);
		const f = slideFrame(big);
		await f.waitForSelector("a.thumb-link");
		assert(await f.locator("li.thumb").count() === 13, "not 13 cards");
		await f.waitForFunction(() => document.readyState === "complete");
		const focused = await f.evaluate(() => document.activeElement.getAttribute("data-page"));
		assert(focused === "10", `the card in focus is ${focused}`);
		await big.screenshot({ path: `${art}/${label}-presentation-overview.png` });
		await f.click("#page-4 a.thumb-link");
		await slideReady(big, 4);
	});

	await test(`${label}: Esc opens the overview too; Enter on a card lands there`, async () => {
		await big.keyboard.press("Escape");
		await frameAt(big, /\/overview\?page=4$/);
		const f = slideFrame(big);
		await f.waitForSelector("a.thumb-link");
		// The overview puts the current page's card in focus once loaded:
		// keys pressed before that would go nowhere.
		await f.waitForFunction(() => document.readyState === "complete" &&
		    document.activeElement?.getAttribute("data-page") === "4");
		await big.keyboard.press("ArrowRight");
		await f.waitForFunction(() => document.activeElement?.getAttribute("data-page") === "5");
		await big.keyboard.press("Enter");
		await slideReady(big, 5);
	});

	await test(`${label}: the index leads to the presentation and the overview; an overview card opens the view`, async () => {
		await big.goto(base);
		const pres = big.locator("section.deck a[href='smtp/present']");
		assert(await pres.count() === 1, "no link to the presentation");
		await big.click("section.deck a[href='smtp/overview']");
		await big.waitForSelector("li.thumb");
		await big.click("#page-3 a.thumb-link");
		await big.waitForURL(/smtp\/view\?page=3$/);
		await slideReady(big, 3);
	});

	await test(`${label}: the view has a button to present the same slide`, async () => {
		await big.click("#to-present");
		await big.waitForURL(/smtp\/present\?page=3$/);
		await slideReady(big, 3);
	});
}

// Returns how many of the page's steps are visible, once their fade (0.3 s) is over.
async function visibleSteps(frame) {
	await sleep(400);
	return frame.evaluate(() => Array.from(document.querySelectorAll(".step"))
	    .filter((e) => getComputedStyle(e).visibility === "visible" && getComputedStyle(e).opacity !== "0").length);
}

async function stepsTests(label, base, pages) {
	const big = pages[2];

	for (const [layout, doc] of [["presentation", "steps/present?page=0"], ["frameset", "steps/?page=0"]]) {
		await test(`${label}: in the ${layout} a page with three steps needs three presses before the next page; back hides them in reverse`, async () => {
			await big.goto(base + doc);
			await slideReady(big, 0);
			assert(await visibleSteps(slideFrame(big)) === 0, "steps shown before any press");
			for (let i = 1; i <= 3; i++) {
				await big.keyboard.press(i === 2 ? " " : "ArrowRight");
				await slideReady(big, 0);
				const v = await visibleSteps(slideFrame(big));
				assert(v === i, `after ${i} presses ${v} steps are shown`);
				const said = await slideFrame(big).textContent("#step-said");
				const want = ["First", "Second", "Third"][i - 1] + " step";
				assert(said === want, `the live region says "${said}", not "${want}"`);
			}
			assert(await slideFrame(big).getAttribute("#step-said", "aria-live") === "polite", "not aria-live");
			await big.keyboard.press("PageDown");
			await slideReady(big, 1);
			await big.keyboard.press("ArrowLeft");
			await slideReady(big, 0);
			assert(await visibleSteps(slideFrame(big)) === 3, "coming back, not every step is shown");
			for (let i = 2; i >= 0; i--) {
				await big.keyboard.press("ArrowLeft");
				const v = await visibleSteps(slideFrame(big));
				assert(v === i, `back: ${v} steps shown, not ${i}`);
			}
			await big.keyboard.press("PageUp");
			await slideReady(big, 0);
		});
	}

	await test(`${label}: the print view, a printed page, reduced motion and a browser without JavaScript show every step`, async () => {
		await big.goto(base + "steps/print");
		assert(await visibleSteps(big.mainFrame()) === 3, "print view");
		await big.goto(base + "steps/0");
		await slideReady(big, 0);
		await big.emulateMedia({ media: "print" });
		assert(await visibleSteps(big.mainFrame()) === 3, "printed page");
		await big.emulateMedia({ media: "screen", reducedMotion: "reduce" });
		await big.reload();
		await slideReady(big, 0);
		assert(await visibleSteps(big.mainFrame()) === 3, "reduced motion");
		await big.emulateMedia({ reducedMotion: "no-preference" });
		const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
		const p = await ctx.newPage();
		await p.goto(base + "steps/0");
		const v = await visibleSteps(p.mainFrame());
		await ctx.close();
		assert(v === 3, `without JavaScript ${v} steps`);
	});

	if (env.EXPORT_STEPS && label === "dev") {
		await test("export: the exported pages and print.html show every step", async () => {
			for (const f of ["steps0.html", "print.html"]) {
				await big.goto(`file://${env.EXPORT_STEPS}/${f}`, { waitUntil: "load" });
				await sleep(100);
				const v = await visibleSteps(big.mainFrame());
				assert(v === 3, `${f}: ${v} steps shown`);
			}
		});
	}
}

// Moves one finger across the screen from (x0, y0) to (x1, y1), as a phone's
// touch screen reports it (Chromium's input pipeline, not events made up in a page).
async function swipe(cdp, x0, y0, x1, y1) {
	await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: x0, y: y0 }] });
	for (let i = 1; i <= 4; i++)
		await cdp.send("Input.dispatchTouchEvent", { type: "touchMove",
		    touchPoints: [{ x: x0 + (x1 - x0) * i / 4, y: y0 + (y1 - y0) * i / 4 }] });
	await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
}

// Returns the box of what sel finds in the slide frame, in the screen's coordinates.
async function slideBox(page, sel) {
	return slideFrame(page).locator(sel).first().boundingBox();
}

// Waits until the view's glossary sheet is open (true) or closed (false).
async function sheetOpen(page, want) {
	await page.waitForFunction((w) => {
		const g = document.getElementById("view-gls");
		const b = g.getBoundingClientRect();
		const shown = getComputedStyle(g).visibility === "visible" && b.top < innerHeight - 10;
		return document.documentElement.classList.contains("sheet-open") === w && shown === w &&
		    (!w || Math.abs(b.bottom - innerHeight) < 2);
	}, want, { timeout: 3000 });
}

// A phone: 390x844, a touch screen and no mouse.
async function phones(label, base, big) {
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
	const ph = await ctx.newPage();
	ph.errors = [];
	ph.on("pageerror", (e) => ph.errors.push(String(e)));
	const cdp = await ctx.newCDPSession(ph);

	await test(`${label}: on a phone the frameset and the 2001 names open the view at the same page; a desktop keeps the frameset`, async () => {
		await ph.goto(base + "smtp/?page=4");
		await ph.waitForURL(/smtp\/view\?page=4$/);
		await slideReady(ph, 4);
		await ph.goto(base + "smtp6.html");
		await ph.waitForURL(/smtp\/view\?page=6$/);
		await slideReady(ph, 6);
		await big.goto(base + "smtp/?page=4");
		await slideReady(big, 4);
		assert(/smtp\/\?page=4$/.test(big.url()) && await big.locator("frame[name=display]").count() === 1,
		    `the desktop is at ${big.url()}`);
	});

	if (env.EXPORT_STEPS && label === "dev") {
		await test("export: on a phone the exported frameset opens the exported view (view.html) at the same page, which fits; a desktop keeps the frameset", async () => {
			const site = `file://${env.EXPORT_STEPS}/`;
			await ph.goto(site + "index.html?page=1");
			await ph.waitForURL(/\/view\.html\?page=1$/);
			await slideReady(ph, "1");
			assert(/steps1\.html$/.test(slideFrame(ph).url()), `the slide is ${slideFrame(ph).url()}`);
			assert((await misfits(ph)).length === 0, (await misfits(ph)).join("\n"));
			await ph.screenshot({ path: `${art}/export-phone-view.png` });
			// Its links stay in the exported site: the frameset and the print view.
			const links = await ph.evaluate(() => Array.from(document.querySelectorAll(".view-bar a")).map((a) => a.getAttribute("href")));
			assert(links.length > 0 && links.every((h) => /^(index|print)\.html$/.test(h)), `links: ${links}`);
			await big.goto(site + "index.html?page=1");
			await sleep(500);
			assert(/index\.html\?page=1$/.test(big.url()) && await big.locator("frame[name=display]").count() === 1,
			    `the desktop is at ${big.url()}`);
		});
	}

	for (const [layout, doc] of [["view", "smtp/view?page=1"], ["presentation", "smtp/present?page=1"]]) {
		await test(`${label}: on a phone the ${layout} has navigation targets of 44x44 px or more at the bottom, without scrolling`, async () => {
			await ph.goto(base + doc);
			await slideReady(ph, 1);
			const bad = (await misfits(ph)).slice();
			for (const rel of ["prev", "next"]) {
				const b = await slideBox(ph, `nav.slide-nav a[rel="${rel}"]`);
				if (!b || b.width < 44 || b.height < 44 || b.x < 0 || b.x + b.width > 390 ||
				    b.y < 844 * 0.75 || b.y + b.height > 844 + 0.5)
					bad.push(`${rel}: ${JSON.stringify(b)}`);
			}
			assert(bad.length === 0, bad.join("\n"));
			await ph.screenshot({ path: `${art}/${label}-phone-${layout}.png` });
		});

		await test(`${label}: on a phone a swipe to the left moves forward in the ${layout}, to the right back`, async () => {
			await swipe(cdp, 320, 420, 80, 430);
			await slideReady(ph, 2);
			await swipe(cdp, 80, 420, 320, 410);
			await slideReady(ph, 1);
			// A short or mostly vertical move is not a swipe.
			await swipe(cdp, 300, 300, 270, 500);
			await sleep(300);
			await slideReady(ph, 1);
		});
	}

	await test(`${label}: on a phone the glossary is a sheet that slides up from the bottom; its button, Esc and a swipe down close it`, async () => {
		await ph.goto(base + "smtp/view?page=1");
		await slideReady(ph, 1);
		await sheetOpen(ph, false);
		await slideFrame(ph).tap("a[href*='\"ppp.html\"']");
		await entryShows(ph, "ppp");
		await sheetOpen(ph, true);
		await sleep(300);
		await ph.screenshot({ path: `${art}/${label}-phone-view-glossary.png` });
		assert((await misfits(ph)).length === 0, (await misfits(ph)).join("\n"));
		await ph.tap("#sheet-close");
		await sheetOpen(ph, false);
		await slideFrame(ph).tap("a[href*='\"internet.html\"']");
		await entryShows(ph, "internet");
		await sheetOpen(ph, true);
		await ph.keyboard.press("Escape");
		await sheetOpen(ph, false);
		await slideReady(ph, 1);
		await slideFrame(ph).tap("a[href*='\"ppp.html\"']");
		await sheetOpen(ph, true);
		const top = await ph.evaluate(() => document.getElementById("view-gls").getBoundingClientRect().top);
		await sleep(300);
		await swipe(cdp, 200, top + 60, 200, top + 300);
		await sheetOpen(ph, false);
		await slideReady(ph, 1);
	});

	await test(`${label}: on a phone a wide table and a wide line of code scroll inside themselves, and a swipe on them does not turn the page`, async () => {
		await ph.goto(base + "wide/view?page=0");
		await slideReady(ph, 0);
		const r = await slideFrame(ph).evaluate(() => Array.from(document.querySelectorAll(".wide")).map((e) => ({
			tag: e.tagName, inside: e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(e).overflowX),
			right: e.getBoundingClientRect().right <= document.getElementById("canvas").getBoundingClientRect().right + 1 })));
		assert(r.length === 2 && r.every((x) => x.inside && x.right), JSON.stringify(r));
		assert((await misfits(ph)).length === 0, (await misfits(ph)).join("\n"));
		const b = await slideBox(ph, "table.wide");
		await swipe(cdp, b.x + b.width - 20, b.y + b.height / 2, b.x + 20, b.y + b.height / 2);
		await sleep(400);
		await slideReady(ph, 0);
		await ph.screenshot({ path: `${art}/${label}-phone-wide.png` });
	});

	await test(`${label}: on a phone, no script errors`, async () => {
		assert(ph.errors.length === 0, ph.errors.join("\n"));
	});
	await ctx.close();
}

async function server(label, base) {
	const pages = await tabs();
	await phones(label, base, pages[2]);
	await present(label, base, pages);
	await stepsTests(label, base, pages);
	await canvas(label, base, pages);
	await test(`${label}: no script errors`, async () => {
		const e = pages.flatMap((p) => p.errors.map((x) => `${p.size}: ${x}`));
		assert(e.length === 0, e.join("\n"));
	});
	await pages[0].context().close();
}

try {
	if (env.DEV_URL)
		await server("dev", env.DEV_URL);
	if (env.NGX_URL)
		await server("nginx", env.NGX_URL);
} finally {
	await browser.close();
}
process.exitCode = finish();
