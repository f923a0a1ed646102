// run.mjs: the browser tests of drfslides; prints TAP (numbered from TAP_START + 1).
// Environment: DEV_URL and NGX_URL (the top of the decks on each server, ending
// in "/"), COURSE_URL (the other origin), CHROMIUM, ARTIFACTS (screenshots).
import { artifacts, assert, finish, launch, sleep, test as check } from "./tap.mjs";

const env = process.env;
const art = artifacts("");

// Runs one check; it fails by throwing. A check never takes more than 20 s.
const test = (desc, fn) => check(desc, fn, 20000);

// Returns the page number the frame named "slide" shows once its script runs, or null.
async function slidePage(page) {
	const f = page.frame({ name: "slide" });
	if (!f)
		return null;
	try {
		return await f.evaluate(() => document.body && typeof window.drfslidesGo === "function" ?
		    document.body.dataset.page : null);
	} catch {
		return null;	// navigating
	}
}

// Waits until the slide frame shows page want.
async function slideAt(page, want, timeout = 6000) {
	const end = Date.now() + timeout;
	let got;
	while ((got = await slidePage(page)) !== String(want)) {
		if (Date.now() > end)
			throw new Error(`the slide frame shows page ${got}, not ${want}`);
		await sleep(40);
	}
}

// Waits until the display frame's entry iframe shows glossary/TERM.html; returns its heading.
async function entryShows(page, term, timeout = 6000) {
	const end = Date.now() + timeout;
	for (;;) {
		const f = page.frame({ name: "entry" });
		if (f && f.url().endsWith(`/glossary/${term}.html`)) {
			try {
				const h = await f.evaluate(() => {
					const e = document.querySelector("article.entry h2, article.entry h1");
					return e ? e.textContent : null;
				});
				if (h)
					return h;
			} catch { /* loading */ }
		}
		if (Date.now() > end)
			throw new Error(`the display frame does not show ${term} (at ${f ? f.url() : "none"})`);
		await sleep(40);
	}
}

// Clicks somewhere neutral in the slide, which gives the slide frame the focus.
async function focusSlide(page) {
	const f = page.frame({ name: "slide" });
	await f.click("main.slide-body", { position: { x: 4, y: 4 } });
}

const browser = await launch();

async function server(label, base) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	const deck = base + "smtp/";

	await test(`${label}: the entry page is the frameset with a slide and a display frame`, async () => {
		const r = await page.goto(deck);
		assert(r.status() === 200, `status ${r.status()}`);
		await slideAt(page, 0);
		const d = page.frame({ name: "display" });
		assert(d, "no display frame");
		await d.waitForFunction(() => typeof openglossary === "function");
		assert(await page.locator("frame[name=slide]").getAttribute("title"), "slide frame has no title");
	});

	await test(`${label}: a click on Next shows page 1`, async () => {
		await page.frame({ name: "slide" }).click('nav.slide-nav a[rel="next"]');
		await slideAt(page, 1);
	});

	await test(`${label}: a GLS link shows its entry in the display frame`, async () => {
		await page.frame({ name: "slide" }).click("a[href*='\"ppp.html\"']");
		const h = await entryShows(page, "ppp");
		assert(/PPP/.test(h), `heading ${h}`);
	});

	await test(`${label}: a second GLS link shows the second entry`, async () => {
		await page.frame({ name: "slide" }).click("a[href*='\"internet.html\"']");
		await entryShows(page, "internet");
		const t = await page.frame({ name: "display" }).evaluate(() => typeof openglossary);
		assert(t === "function", "openglossary is gone");
	});

	await page.screenshot({ path: `${art}/${label}-frameset.png` });

	await test(`${label}: the keyboard moves through the slides (→ space PageDown ← PageUp End Home)`, async () => {
		await focusSlide(page);
		const keys = [["ArrowRight", 2], [" ", 3], ["PageDown", 4], ["ArrowLeft", 3],
		    ["PageUp", 2], ["End", 12], ["Home", 0], ["ArrowRight", 1], ["ArrowRight", 2],
		    ["ArrowRight", 3]];
		for (const [k, want] of keys) {
			await page.keyboard.press(k);
			await slideAt(page, want);
		}
	});

	await test(`${label}: the address bar follows the slide (?page=3)`, async () => {
		const end = Date.now() + 3000;
		while (!page.url().endsWith("smtp/?page=3")) {
			assert(Date.now() < end, `address is ${page.url()}`);
			await sleep(40);
		}
	});

	await test(`${label}: a reload of the deep link lands on the same slide`, async () => {
		await page.reload();
		await slideAt(page, 3);
	});

	await test(`${label}: a fresh deep link (?page=5) opens on page 5`, async () => {
		await page.goto(deck + "?page=5");
		await slideAt(page, 5);
	});

	await test(`${label}: the display frame links to the single-page view at the same slide`, async () => {
		await page.frame({ name: "display" }).click("a.to-view");
		await page.waitForURL(/smtp\/view\?page=5$/);
		await slideAt(page, 5);
	});

	await test(`${label}: the view is one document with iframes named slide and display`, async () => {
		const names = await page.evaluate(() =>
		    Array.from(document.querySelectorAll("iframe")).map((f) => f.name + ":" + f.title));
		assert(names.length === 2 && names[0].startsWith("slide:") && names[1].startsWith("display:"),
		    names.join(","));
		const oe = await page.evaluate(() => document.doctype && document.doctype.name);
		assert(oe === "html", `doctype ${oe}`);
	});

	await test(`${label}: keys pressed on the view's container move the slide and are announced`, async () => {
		await page.click("h1.view-title");
		await page.keyboard.press("ArrowRight");
		await slideAt(page, 6);
		await page.waitForURL(/view\?page=6$/);
		const end = Date.now() + 3000;
		let a;
		while ((a = await page.textContent("#announce")) !== "7 / 13") {
			assert(Date.now() < end, `announced "${a}"`);
			await sleep(40);
		}
		assert(await page.getAttribute("#announce", "aria-live") === "polite", "not aria-live");
	});

	await test(`${label}: GLS links work in the view, twice`, async () => {
		await page.goto(deck + "view?page=3");
		await slideAt(page, 3);
		await page.frame({ name: "slide" }).click("a[href*='\"smtpserver.html\"']");
		await entryShows(page, "smtpserver");
		await page.frame({ name: "slide" }).click("a[href*='\"smtp.html\"']");
		await entryShows(page, "smtp");
	});

	await page.screenshot({ path: `${art}/${label}-view-wide.png` });

	await test(`${label}: Tab reaches the slide navigation`, async () => {
		await page.goto(deck + "view?page=1");
		await slideAt(page, 1);
		await focusSlide(page);
		const f = page.frame({ name: "slide" });
		let found = false;
		for (let i = 0; i < 12 && !found; i++) {
			await page.keyboard.press("Tab");
			found = await f.evaluate(() => {
				const a = document.activeElement;
				return !!(a && a.closest && a.closest("nav.slide-nav") && a.rel === "next");
			});
		}
		assert(found, "Next was not reached with Tab");
		await page.keyboard.press("Enter");
		await slideAt(page, 2);
	});

	await test(`${label}: the view's link back to the frameset keeps the slide`, async () => {
		await page.click("#to-frames");
		await page.waitForURL(/smtp\/\?page=2$/);
		await slideAt(page, 2);
		assert(await page.locator("frame[name=display]").count() === 1, "not the frameset");
	});

	await test(`${label}: the view on a narrow screen puts the glossary below the slide`, async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(deck + "view?page=2");
		await slideAt(page, 2);
		await page.frame({ name: "slide" }).click("a[href*='\"smtpserver.html\"']");
		await entryShows(page, "smtpserver");
		const [s, d] = await page.evaluate(() => ["slide-frame", "display-frame"].map((id) => {
			const r = document.getElementById(id).getBoundingClientRect();
			return { top: r.top, bottom: r.bottom, left: r.left, width: r.width };
		}));
		assert(d.top >= s.bottom - 1, `display at ${d.top}, slide ends at ${s.bottom}`);
		assert(s.width > 300 && d.width > 300, "frames too narrow");
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: `${art}/${label}-view-narrow.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 800 });
	});

	await test(`${label}: the view on a wide screen puts the glossary beside the slide`, async () => {
		await page.goto(deck + "view");
		await slideAt(page, 0);
		const [s, d] = await page.evaluate(() => ["slide-frame", "display-frame"].map((id) => {
			const r = document.getElementById(id).getBoundingClientRect();
			return { top: r.top, right: r.right, left: r.left };
		}));
		assert(d.left >= s.right - 1 && Math.abs(d.top - s.top) < 2, JSON.stringify([s, d]));
	});

	await test(`${label}: the print view has every page, the glossary, and a page break per slide`, async () => {
		const r = await page.goto(deck + "print");
		assert(r.status() === 200, `status ${r.status()}`);
		assert(await page.locator(".print-page").count() === 13, "not 13 pages");
		assert(await page.locator(".print-glossary .entry").count() === 6, "not 6 entries");
		await page.screenshot({ path: `${art}/${label}-print.png` });
		await page.click("#page-1 a[href*='\"ppp.html\"']");
		await page.waitForFunction(() => document.activeElement && document.activeElement.id === "gls-ppp",
		    null, { timeout: 3000 });
		await page.emulateMedia({ media: "print" });
		const br = await page.evaluate(() => getComputedStyle(document.querySelector(".print-page")).breakAfter);
		assert(br === "page", `break-after: ${br}`);
		await page.pdf({ path: `${art}/${label}-print.pdf`, format: "A4" });
		await page.emulateMedia({ media: "screen" });
	});

	await test(`${label}: an unknown deck gets a friendly 404 page that leads to the index`, async () => {
		const r = await page.goto(base + "nosuchdeck/");
		assert(r.status() === 404, `status ${r.status()}`);
		assert(/404/.test(await page.textContent("h1")), "no 404 heading");
		await page.screenshot({ path: `${art}/${label}-404.png` });
		await page.click("p.home a >> nth=0");
		await page.waitForSelector("section.deck");
	});

	await test(`${label}: the index lists the deck, its contents and an absolute embed snippet`, async () => {
		await page.goto(base);
		const t = await page.textContent("section.deck h2");
		assert(/SMTP/.test(t), `title ${t}`);
		assert(await page.locator("ol.toc li").count() === 13, "not 13 contents lines");
		const v = await page.inputValue("textarea.embed-code");
		assert(v.startsWith(`<iframe src="${deck}view"`), v);
		await page.screenshot({ path: `${art}/${label}-index.png`, fullPage: true });
	});

	await test(`${label}: the deck works inside a cross-origin iframe of a course site`, async () => {
		const course = `${env.COURSE_URL}static/course-${label}.html`;
		await page.goto(course);
		await slideAt(page, 0, 8000);
		await page.frame({ name: "slide" }).click('nav.slide-nav a[rel="next"]');
		await slideAt(page, 1);
		await page.frame({ name: "slide" }).click("a[href*='\"ppp.html\"']");
		await entryShows(page, "ppp");
		await page.frame({ name: "slide" }).click("a[href*='\"internet.html\"']");
		await entryShows(page, "internet");
		assert(page.url() === course, `the course page moved to ${page.url()}`);
		await page.screenshot({ path: `${art}/${label}-embedded.png` });
	});

	await test(`${label}: no script errors on any page`, async () => {
		assert(errors.length === 0, errors.join("\n"));
	});
	await ctx.close();
}

// --- Deck assets: every <img> of every page (and of the print view) loads
// and has alt text. PICS_URL serves a deck of pictures of the test's own;
// with SMTP_ASSETS set (decks/smtp/ exists), the bundled deck must have
// pictures too, on both servers.

// Returns the images of the document in page that are not loaded or have no alt text.
async function badImages(page) {
	return page.evaluate(() => Array.from(document.images).map((i) => ({
		src: i.getAttribute("src"), alt: (i.getAttribute("alt") || "").trim(),
		w: i.naturalWidth, done: i.complete,
	})));
}

async function images(label, deck) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	let total = 0;

	await test(`${label}: every <img> on every page loads (naturalWidth > 0) and has alt text`, async () => {
		const bad = [];
		let n;
		for (n = 0; n < 500; n++) {
			const r = await page.goto(deck + n, { waitUntil: "load" });
			if (r.status() === 404)
				break;
			assert(r.status() === 200, `page ${n}: status ${r.status()}`);
			for (const i of await badImages(page)) {
				total++;
				if (!(i.w > 0) || i.alt === "")
					bad.push(`page ${n}: ${i.src} width ${i.w} alt "${i.alt}"`);
			}
		}
		assert(n > 0, "no pages");
		assert(total > 0, "the deck's pages have no <img> at all");
		assert(bad.length === 0, bad.join("\n"));
	});

	await test(`${label}: the print view shows the same pictures`, async () => {
		const r = await page.goto(deck + "print", { waitUntil: "load" });
		assert(r.status() === 200, `status ${r.status()}`);
		const all = await badImages(page);
		assert(all.length === total, `${all.length} images in the print view, ${total} on the pages`);
		const bad = all.filter((i) => !(i.w > 0));
		assert(bad.length === 0, bad.map((i) => i.src).join("\n"));
	});
	await ctx.close();
}

// The exported site (drfslides export), opened from file:// with no server.
async function exported(dir) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();

	await test("export: index.html opens from file:// with both frames", async () => {
		await page.goto(`file://${dir}/index.html`, { waitUntil: "load" });
		const slide = page.frame({ name: "slide" });
		const display = page.frame({ name: "display" });
		assert(slide && slide.url().endsWith("/smtp0.html"), "no slide frame on smtp0.html");
		assert(display && display.url().endsWith("/display.html"), "no display frame");
		const text = await slide.evaluate(() => document.body.textContent);
		assert(text.includes("電子メールを送信すると"), "page 0's text is not shown");
		const hint = await display.evaluate(() => document.getElementById("hint") !== null &&
		    typeof window.openglossary === "function");
		assert(hint, "the display frame has no openglossary()");
		await page.screenshot({ path: `${art}/export-frameset.png` });
	});
	await test("export: the pages link to each other and show their pictures from file://", async () => {
		const bad = [];
		let pics = 0;
		for (let i = 0; i <= 12; i++) {
			await page.goto(`file://${dir}/smtp${i}.html`, { waitUntil: "load" });
			for (const im of await badImages(page)) {
				pics++;
				if (!(im.w > 0) || im.alt === "")
					bad.push(`smtp${i}.html: ${im.src} width ${im.w}`);
			}
			const next = await page.evaluate(() => {
				const a = document.querySelector('a[rel="next"]');
				return a ? a.getAttribute("href") : null;
			});
			if (i < 12 && next !== `smtp${i + 1}.html`)
				bad.push(`smtp${i}.html: next is ${next}`);
		}
		assert(pics >= 12, `only ${pics} pictures in the exported pages`);
		assert(bad.length === 0, bad.join("\n"));
	});
	await test("export: print.html shows every page, its pictures and the glossary from file://", async () => {
		await page.goto(`file://${dir}/print.html`, { waitUntil: "load" });
		const pages = await page.locator("section.print-page").count();
		assert(pages === 13, `${pages} pages in print.html`);
		const imgs = await badImages(page);
		const bad = imgs.filter((im) => !(im.w > 0) || im.alt === "").map((im) => im.src);
		assert(imgs.length >= 12 && bad.length === 0,
		    `${imgs.length} pictures, not shown: ${bad.join(" ")}`);
		// A GLS link jumps to the entry printed at the end of the document.
		const link = page.locator("section.print-page a[href*='openglossary']").first();
		await link.click();
		const focused = await page.evaluate(() => document.activeElement ?
		    document.activeElement.id : "");
		assert(/^gls-/.test(focused), `a glossary link focused "${focused}"`);
		await page.screenshot({ path: `${art}/export-print.png`, fullPage: false });
	});
	await ctx.close();
}

// A scene page in both frame layouts, for the eye (artefacts).
async function scenes(label, deck) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();

	await test(`${label}: page 7's picture shows in the frameset and in the view`, async () => {
		for (const [doc, file] of [["?page=7", "frameset"], ["view?page=7", "view"]]) {
			await page.goto(deck + doc, { waitUntil: "load" });
			await slideAt(page, 7);
			const f = page.frame({ name: "slide" });
			await f.waitForFunction(() => Array.from(document.images).length > 0 &&
			    Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
			await page.screenshot({ path: `${art}/${label}-scene-7-${file}.png` });
		}
	});
	await ctx.close();
}

try {
	if (env.EXPORT_DIR)
		await exported(env.EXPORT_DIR);
	if (env.SMTP_ASSETS && env.DEV_URL)
		await scenes("dev", env.DEV_URL + "smtp/");
	if (env.SMTP_ASSETS && env.NGX_URL)
		await scenes("nginx", env.NGX_URL + "smtp/");
	if (env.DEV_URL)
		await server("dev", env.DEV_URL);
	if (env.NGX_URL)
		await server("nginx", env.NGX_URL);
	if (env.PICS_URL)
		await images("pictures deck", env.PICS_URL + "pics/");
	if (env.SMTP_ASSETS && env.DEV_URL)
		await images("dev: smtp pictures", env.DEV_URL + "smtp/");
	if (env.SMTP_ASSETS && env.NGX_URL)
		await images("nginx: smtp pictures", env.NGX_URL + "smtp/");
} finally {
	await browser.close();
}
process.exitCode = finish();
