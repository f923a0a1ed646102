// run.mjs: the browser tests of drfslides; prints TAP (numbered from TAP_START + 1).
// Environment: DEV_URL and NGX_URL (the top of the decks on each server, ending
// in "/"), COURSE_URL (the other origin), CHROMIUM, ARTIFACTS (screenshots).
import { artifacts, assert, finish, launch, sleep, test as check } from "./tap.mjs";

const env = process.env;
const art = artifacts("");

// Runs one check; it fails by throwing. A check never takes more than 45 s
// (printing the handout to PDF takes 20 s on a busy machine).
const test = (desc, fn) => check(desc, fn, 45000);

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

// Waits until the frame named "slide" is at an address that re matches.
async function frameUrl(page, re, timeout = 6000) {
	const end = Date.now() + timeout;
	while (!re.test(page.frame({ name: "slide" }).url())) {
		if (Date.now() > end)
			throw new Error(`the slide frame is at ${page.frame({ name: "slide" }).url()}, not ${re}`);
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

	await test(`${label}: the view on a narrow screen shows the glossary as a sheet over the slide, closed by its button`, async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(deck + "view?page=2");
		await slideAt(page, 2);
		await page.frame({ name: "slide" }).click("a[href*='\"smtpserver.html\"']");
		await entryShows(page, "smtpserver");
		await page.waitForFunction(() => getComputedStyle(document.getElementById("view-gls")).visibility === "visible");
		await sleep(300);
		const [s, d] = await page.evaluate(() => ["slide-frame", "view-gls"].map((id) => {
			const r = document.getElementById(id).getBoundingClientRect();
			return { top: r.top, bottom: r.bottom, width: r.width };
		}));
		assert(Math.abs(d.bottom - 844) < 1 && d.top > 0 && d.width === 390, `sheet ${JSON.stringify(d)}`);
		assert(s.width === 390 && Math.abs(s.bottom - 844) < 1, `slide ${JSON.stringify(s)}`);
		await page.screenshot({ path: `${art}/${label}-view-narrow.png` });
		await page.click("#sheet-close");
		await page.waitForFunction(() => getComputedStyle(document.getElementById("view-gls")).visibility === "hidden");
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

	await test(`${label}: the print view's choice of slides per sheet (its radio buttons inside main) lays out the printed PDF: 1, 2, 3 and 6 a sheet give fewer and fewer sheets`, async () => {
		await page.goto(deck + "print");
		// No media emulated: page.pdf prints with the print media (with
		// "screen" emulated, as the check above leaves it, it would not).
		await page.emulateMedia({ media: null });
		const sheets = [];
		for (const n of ["1", "2", "3", "6"]) {
			await page.click(`label[for="per-${n}"]`);
			assert(await page.isChecked(`#per-${n}`), `the label does not choose ${n} a sheet`);
			assert(await page.evaluate(() => !!document.querySelector("main #per-1")), "the radio buttons are outside main");
			const pdf = await page.pdf({ format: "A4" });
			sheets.push((pdf.toString("latin1").match(/\/Type\s*\/Page\b(?!s)/g) || []).length);
		}
		// The cover, 13 pages (with 1 a sheet), the glossary.
		assert(sheets[0] >= 15 && sheets[1] < sheets[0] && sheets[2] < sheets[1] && sheets[3] < sheets[2],
		    `sheets for 1, 2, 3, 6 a sheet: ${sheets}`);
		console.log(`# ${label}: printed sheets for 1, 2, 3, 6 slides a sheet: ${sheets}`);
	}, 120000);	/* four PDFs: on a busy machine each takes seconds */

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
		// Beside it: the sites the server lets embed it, and the option that sets them.
		const who = await page.textContent("p.embed-who");
		assert(who.includes(env.COURSE_URL.replace(/\/$/, "")) && who.includes("--frame-ancestors"), who);
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
		// Embedded, the entry is a sheet over the slide: closed, the next term is reached.
		await page.frames().find((f) => /smtp\/view(\?|$)/.test(f.url())).click("#sheet-close");
		await page.frame({ name: "slide" }).click("a[href*='\"internet.html\"']");
		await entryShows(page, "internet");
		assert(page.url() === course, `the course page moved to ${page.url()}`);
		await page.screenshot({ path: `${art}/${label}-embedded.png` });
	});

	await test(`${label}: embedded in a 390 px wide page of another site, the deck keeps its shape; the slide, its buttons and a glossary entry fit inside the frame`, async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${env.COURSE_URL}static/course-${label}.html`);
		await slideAt(page, 0, 8000);
		const fb = await page.locator("iframe").first().boundingBox();
		const inside = (b, what, min = 0) => {
			assert(b && b.x >= fb.x - 0.5 && b.y >= fb.y - 0.5 && b.x + b.width <= fb.x + fb.width + 0.5 &&
			    b.y + b.height <= fb.y + fb.height + 0.5 && b.width >= min && b.height >= min,
			    `${what} ${JSON.stringify(b)} is not inside the frame ${JSON.stringify(fb)}`);
		};
		assert(fb.width > 340 && Math.abs(fb.height - fb.width * 600 / 960) < 1.5, `the frame is ${fb.width}x${fb.height}`);
		const view = page.frames().find((f) => /smtp\/view(\?|$)/.test(f.url()));
		const scrolls = async (f) => f.evaluate(() => {
			const e = document.scrollingElement;
			return e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1;
		});
		const slide = page.frame({ name: "slide" });
		assert(!await scrolls(view) && !await scrolls(slide), "the embedded view or slide scrolls");
		inside(await slide.locator("#canvas").boundingBox(), "the canvas");
		for (const rel of ["next", "last"])
			inside(await slide.locator(`nav.slide-nav a[rel="${rel}"]`).boundingBox(), rel, 44);
		await slide.click('nav.slide-nav a[rel="next"]');
		await slideAt(page, 1);
		await page.frame({ name: "slide" }).click("a[href*='\"ppp.html\"']");
		await entryShows(page, "ppp");
		await view.waitForFunction(() => getComputedStyle(document.getElementById("view-gls")).visibility === "visible");
		await sleep(300);
		inside(await view.locator("#view-gls").boundingBox(), "the glossary sheet");
		inside(await page.frame({ name: "entry" }).locator("article.entry h2").boundingBox(), "the entry's heading");
		inside(await view.locator("#sheet-close").boundingBox(), "the close button", 44);
		assert(!await scrolls(view), "the embedded view scrolls with the glossary open");
		await page.screenshot({ path: `${art}/${label}-embedded-phone.png` });
		await view.click("#sheet-close");
		await view.waitForFunction(() => getComputedStyle(document.getElementById("view-gls")).visibility === "hidden");
		await page.setViewportSize({ width: 1280, height: 800 });
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
	await test("export: O on a page opens overview.html from file://, every page in a card that fits it; a card opens its page", async () => {
		await page.goto(`file://${dir}/index.html`, { waitUntil: "load" });
		await page.frame({ name: "slide" }).click("main.slide-body", { position: { x: 4, y: 4 } });
		await page.keyboard.press("o");
		await frameUrl(page, /\/overview\.html\?page=0$/);
		const f = page.frame({ name: "slide" });
		await f.waitForFunction(() => document.readyState === "complete");
		await sleep(200);
		const r = await f.evaluate(() => Array.from(document.querySelectorAll(".thumb-stage .canvas")).map((c) =>
		    c.scrollHeight <= c.clientHeight + 1));
		assert(r.length === 13 && r.every(Boolean), `cards that do not fit: ${r.map((x, i) => x ? "" : i).join(" ")}`);
		await page.screenshot({ path: `${art}/export-overview.png` });
		await f.click("#page-7 a.thumb-link");
		await frameUrl(page, /\/smtp7\.html$/);
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
		// The javascript: link runs after the click returns: wait for it, as above.
		const focused = await page.waitForFunction(() => document.activeElement &&
		    /^gls-/.test(document.activeElement.id), null, { timeout: 3000 })
		    .then(() => "gls-", () => page.evaluate(() => document.activeElement ? document.activeElement.id : ""));
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
	if (env.PICS_URL) {
		await images("pictures deck", env.PICS_URL + "pics/");
		await test("a server with the default --frame-ancestors says beside the embed code that only its own pages may embed, and names the option", async () => {
			const ctx = await browser.newContext();
			const p = await ctx.newPage();
			await p.goto(env.PICS_URL);
			const who = await p.textContent("p.embed-who");
			await ctx.close();
			assert(/^Only pages of this server/.test(who) && who.includes("--frame-ancestors") &&
			    !who.includes("127.0.0.1"), who);
		});
	}
	if (env.SMTP_ASSETS && env.DEV_URL)
		await images("dev: smtp pictures", env.DEV_URL + "smtp/");
	if (env.SMTP_ASSETS && env.NGX_URL)
		await images("nginx: smtp pictures", env.NGX_URL + "smtp/");
} finally {
	await browser.close();
}
process.exitCode = finish();
