// present.mjs: the presentation tests of drfslides (run by tests/present.sh); prints TAP
// numbered from TAP_START + 1. Environment: DEV_URL and NGX_URL (the top of the
// decks on each server, ending in "/"), COURSE_URL (another origin), CHROMIUM,
// ARTIFACTS (screenshots).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const env = process.env;
let n = Number(env.TAP_START || 0);
let failed = 0;
const art = env.ARTIFACTS || "test-artifacts/present";
mkdirSync(art, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The screen sizes every layout is tried at: phone, tablet, projectors, monitors, 4K.
const SIZES = [[390, 844], [768, 1024], [1024, 768], [1280, 800], [1920, 1080], [3840, 2160]];
// The decks and their page counts: the bundled one and the one of long content.
const DECKS = [["smtp", 13], ["long", 5]];

function report(pass, desc, diag) {
	n++;
	console.log(`${pass ? "ok" : "not ok"} ${n} - ${desc}`);
	if (!pass) {
		failed++;
		for (const l of String(diag).split("\n").slice(0, 16))
			console.log(`#   ${l}`);
	}
}

// Runs one check; it fails by throwing. A check never takes more than limit ms.
async function test(desc, fn, limit = 30000) {
	let timer;
	try {
		await Promise.race([fn(), new Promise((_, rej) => {
			timer = setTimeout(() => rej(new Error("timed out")), limit);
		})]);
		report(true, desc);
	} catch (e) {
		report(false, desc, e && e.stack ? e.stack : e);
	} finally {
		clearTimeout(timer);
	}
}

function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

// Returns the frame that shows the slide: the one named "slide", or the page itself.
function slideFrame(page) {
	return page.frame({ name: "slide" }) || page.mainFrame();
}

// Waits until the slide shows page want, laid out (scaled, pictures and fonts loaded).
async function slideReady(page, want, timeout = 8000) {
	const end = Date.now() + timeout;
	let got = null;
	for (;;) {
		try {
			got = await slideFrame(page).evaluate(async () => {
				const c = document.getElementById("canvas");
				if (document.readyState !== "complete" || !c || !c.style.getPropertyValue("--scale"))
					return null;
				await document.fonts.ready;
				await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
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

const browser = await chromium.launch({
	executablePath: env.CHROMIUM || "/usr/bin/chromium",
	headless: true,
	args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
	    "--disable-sync", "--no-first-run", "--disable-gpu", "--font-render-hinting=none"],
});

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

async function server(label, base) {
	const pages = await tabs();
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
console.log(`1..${n}`);
process.exitCode = failed > 0 ? 1 : 0;
