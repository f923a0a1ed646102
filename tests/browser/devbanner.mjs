// devbanner.mjs: the dev server's warnings banner in a real browser: once per
// layout (not once per frame), clear of the navigation, and dismissed until
// the warnings change. Environment: DEV_URL (the dev server, ending in "/"),
// DECK (the deck with warnings), DECK_FILE (its file, edited here), CHROMIUM.
import { appendFileSync } from "node:fs";
import { assert, finish, launch, sleep, test } from "./tap.mjs";

const env = process.env;
const url = env.DEV_URL + env.DECK + "/";

// The visible banners of every document of the page, with their box in the
// page's own coordinates, and the slide navigation's box likewise.
async function boxes(page) {
	const out = { banners: [], navs: [] };
	for (const f of page.frames()) {
		let off = { x: 0, y: 0 };
		const el = await f.frameElement().catch(() => null);
		if (el) {
			const b = await el.boundingBox();
			if (b)
				off = b;
		}
		const r = await f.evaluate(() => {
			const vis = (e) => {
				const b = e.getBoundingClientRect();
				return getComputedStyle(e).display !== "none" && b.width > 0 && b.height > 0 ?
				    { x: b.x, y: b.y, w: b.width, h: b.height } : null;
			};
			return {
				banners: [...document.querySelectorAll(".drf-dev-banner")].map(vis).filter(Boolean),
				navs: [...document.querySelectorAll("nav")].map(vis).filter(Boolean),
			};
		}).catch(() => ({ banners: [], navs: [] }));
		for (const k of ["banners", "navs"])
			for (const b of r[k])
				out[k].push({ x: b.x + off.x, y: b.y + off.y, w: b.w, h: b.h, frame: f.name() || "top" });
	}
	return out;
}

const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

// Loads a layout and waits until every frame has run its scripts.
async function open(page, address) {
	await page.goto(address, { waitUntil: "load" });
	await sleep(400);
}

const browser = await launch();
try {
	const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
	const page = await ctx.newPage();
	for (const [layout, address, where] of [["view", url + "view", "top"],
	    ["frameset", url, "slide"], ["presentation", url + "present", "top"]]) {
		await test(`${layout}: one warnings banner, in the ${where} document, clear of the navigation`, async () => {
			await open(page, address);
			const b = await boxes(page);
			assert(b.banners.length === 1, `${b.banners.length} banners: ${JSON.stringify(b.banners)}`);
			assert(b.banners[0].frame === where, `the banner is in ${b.banners[0].frame}`);
			for (const n of b.navs)
				assert(!overlap(b.banners[0], n), `the banner ${JSON.stringify(b.banners[0])} covers the navigation ${JSON.stringify(n)}`);
		});
	}
	await test("dismissed, the banner stays away on the next page and after a reload", async () => {
		await open(page, url + "view");
		await page.click(".drf-dev-close");
		await open(page, url + "view?page=1");
		let b = await boxes(page);
		assert(b.banners.length === 0, `${b.banners.length} banners after dismissing`);
		await open(page, url);
		b = await boxes(page);
		assert(b.banners.length === 0, `${b.banners.length} banners in the frameset after dismissing`);
	});
	await test("when the warnings change, the banner comes back", async () => {
		appendFileSync(env.DECK_FILE, "#defien another misspelt directive\n");
		await sleep(400);	// past the dev server's change-check interval
		await open(page, url + "view");
		const b = await boxes(page);
		assert(b.banners.length === 1, `${b.banners.length} banners after the warnings changed`);
	});
	await ctx.close();
} finally {
	await browser.close();
}
process.exitCode = finish();
