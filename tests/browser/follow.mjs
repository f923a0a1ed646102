// follow.mjs: the presenter and the audience in a real browser (run by
// tests/follow.sh); prints TAP numbered from TAP_START + 1. Environment:
// SERVERS (space-separated LABEL=URL pairs, URL the top of the decks ending
// in "/"), KEY (the presenter key of the servers that have one, "-" for a
// server without), CHROMIUM, ARTIFACTS (screenshots), MARKER (a string only
// the speaker notes hold).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

import { test, assert, finish } from "./tap.mjs";

const env = process.env;
const art = env.ARTIFACTS || "test-artifacts/follow";
mkdirSync(art, { recursive: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LIMIT_MS = 2000;	// a follower reaches the presenter's position within this

// Where the slide frame of a page is: "PAGE.STEPS_SHOWN", or null while it loads.
async function where(page) {
	try {
		return await page.frame({ name: "slide" }).evaluate(() =>
			document.readyState === "complete" && document.body ?
			    `${document.body.dataset.page}.${document.querySelectorAll(".slide-body .step.shown").length}` : null);
	} catch {
		return null;
	}
}

// Waits until a page's slide shows want ("PAGE.STEP"); returns the time it did, by the page's clock.
async function reach(page, want, limit) {
	const end = Date.now() + limit;
	for (;;) {
		// The view says where its slide is (data-at) as soon as the slide reports it.
		const t = await page.evaluate((w) => new Promise((res) => {
			const stop = Date.now() + 300;
			const chk = () => document.body.dataset.at === w ? res(Date.now()) :
			    Date.now() > stop ? res(0) : setTimeout(chk, 5);
			chk();
		}), want).catch(() => 0);
		if (t && await where(page) === want)
			return t;
		if (Date.now() > end)
			throw new Error(`shows ${await where(page)}, not ${want}, after ${limit} ms`);
	}
}

// Keeps a page where it is for ms; throws if its slide moves.
async function stays(page, want, ms) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		const got = await where(page);
		assert(got === null || got === want, `moved to ${got}`);
		await sleep(50);
	}
}

const browser = await chromium.launch({ executablePath: env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const marker = env.MARKER;

for (const pair of (env.SERVERS || "").split(" ").filter(Boolean)) {
	const [label, base] = pair.split(/=(.*)/s);
	const keyed = env.KEY && env.KEY !== "-" && label !== "dev";
	const pctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const presenter = await pctx.newPage();
	const errors = [];
	presenter.on("pageerror", (e) => errors.push(e.message));
	const followers = [];
	for (const vp of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
		const ctx = await browser.newContext({ viewport: vp });
		followers.push(await ctx.newPage());
	}

	await test(`${label}: the presenter view loads, ${keyed ? "takes the key" : "open on loopback without a key"}, and shows the notes in large type`, async () => {
		const r = await presenter.goto(base + "talk/presenter");
		assert(r.status() === 200, `status ${r.status()}`);
		if (keyed) {
			await presenter.locator("#p-key-input").waitFor({ state: "visible", timeout: 5000 });
			const html = await presenter.content();
			assert(!html.includes(marker), "the page holds a note before the key");
			await presenter.fill("#p-key-input", "a-wrong-key-of-enough-length");
			await presenter.click("#p-key-go");
			await presenter.locator("#p-key-error").filter({ hasText: /wrong/ }).waitFor({ timeout: 5000 });
			await presenter.fill("#p-key-input", env.KEY);
			await presenter.click("#p-key-go");
		}
		// The first page of the run: the browser and the server start cold.
		await presenter.locator("#p-notes").filter({ hasText: marker }).waitFor({ timeout: 15000 }).catch(async (e) => {
			throw new Error(`${e.message}\nstatus line: "${await presenter.locator("#p-status").textContent()}", at: ${await presenter.evaluate(() => document.body.dataset.at)}`);
		});
		const size = await presenter.locator("#p-notes").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
		assert(size >= 24, `notes in ${size}px type`);
		await reach(presenter, "0.0", 5000);
		assert(await presenter.locator("#p-counter").textContent() === "1 / 4", "the counter");
	});

	if (label === "dev") await test(`${label}: notes that fail to load (the network, or a 503) are tried again, and the status line says so meanwhile`, async () => {
		const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
		const p = await ctx.newPage();
		let asked = 0;
		await p.route(/\/talk\/notes$/, (route) => {
			asked++;
			if (asked === 1)
				return route.abort("connectionreset");
			if (asked === 2)
				return route.fulfill({ status: 503, body: "" });
			return route.continue();
		});
		await p.goto(base + "talk/presenter");
		await p.locator("#p-status").filter({ hasText: /notes/i }).waitFor({ timeout: 5000 });
		await p.locator("#p-notes").filter({ hasText: marker }).waitFor({ timeout: 10000 });
		assert(asked === 3, `asked ${asked} times for the notes`);
		await ctx.close();
	});

	if (label === "dev") await test(`${label}: a slide frame that loads before the page's own script is heard: the presenter view and a follower know where they are`, async () => {
		const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
		for (const [path, script] of [["talk/presenter", "presenter.js"], ["talk/follow", "follow.js"]]) {
			const p = await ctx.newPage();
			let framed = null;
			const loaded = new Promise((res) => { framed = res; });
			p.on("framenavigated", (f) => { if (f.name() === "slide") f.waitForLoadState("load").then(framed, framed); });
			// The page's script comes only once its slide frame has loaded and reported.
			await p.route(new RegExp("/" + script.replace(".", "\\.") + "$"), async (route) => {
				await Promise.race([loaded, sleep(10000)]);
				await sleep(300);
				await route.continue();
			});
			await p.goto(base + path, { waitUntil: "commit" });
			await p.waitForFunction(() => document.body && document.body.dataset.at === "0.0", null, { timeout: 10000 }).catch(async (e) => {
				throw new Error(`${path}: data-at ${await p.evaluate(() => document.body.dataset.at)}: ${e.message}`);
			});
			await p.close();
		}
		await ctx.close();
	});

	await test(`${label}: two followers (phone and laptop) join the lecture where the presenter is`, async () => {
		for (const f of followers) {
			const r = await f.goto(base + "talk/follow");
			assert(r.status() === 200, `status ${r.status()}`);
		}
		for (const f of followers)
			await reach(f, "0.0", 5000);
		await followers[0].locator("#follow-state").filter({ hasText: /live/i }).waitFor({ timeout: 3000 });
	});

	// Five positions, pages and steps: the presenter's keys move the view and the followers.
	const positions = ["1.0", "1.1", "1.2", "2.0", "3.0"];
	for (const pos of positions) {
		await test(`${label}: the presenter moves to page.step ${pos}; both followers show it within ${LIMIT_MS} ms`, async () => {
			await presenter.keyboard.press("ArrowRight");
			const t0 = await reach(presenter, pos, 10000);
			const at = await Promise.all(followers.map((f) => reach(f, pos, 10000)));
			const took = at.map((t) => t - t0);
			console.log(`# ${label} ${pos}: followers after ${took.join(", ")} ms`);
			assert(took.every((t) => t <= LIMIT_MS), `a follower took ${Math.max(...took)} ms`);
		});
	}

	await test(`${label}: the presenter view shows the next step or slide, the notes of the page, and N / total`, async () => {
		assert(await presenter.locator("#p-counter").textContent() === "4 / 4", "the counter");
		assert(!(await presenter.locator("#p-end").isHidden()), "no 'last slide' at the end");
		assert((await presenter.locator("#p-notes").textContent()).includes(`${marker} four`), "not the notes of page 4");
	});

	await test(`${label}: a follower who moves on their own stops following, says so, and offers "back to live"`, async () => {
		const f = followers[0];
		await f.frame({ name: "slide" }).locator("body").press("Home");
		await reach(f, "0.0", 3000);
		await f.locator("#follow-live").waitFor({ state: "visible", timeout: 2000 });
		assert(/paused/i.test(await f.locator("#follow-state").textContent()), "the state does not say paused");
		await presenter.keyboard.press("ArrowLeft");
		const t0 = await reach(presenter, "2.0", 10000);
		const t1 = await reach(followers[1], "2.0", 10000);
		assert(t1 - t0 <= LIMIT_MS, `the other follower took ${t1 - t0} ms`);
		await stays(f, "0.0", 2000);
	});

	await test(`${label}: "back to live" brings the follower to the presenter within ${LIMIT_MS} ms, following again`, async () => {
		const f = followers[0];
		const t0 = await f.evaluate(() => Date.now());
		await f.click("#follow-live");
		const t1 = await reach(f, "2.0", 10000);
		assert(t1 - t0 <= LIMIT_MS, `back to live took ${t1 - t0} ms`);
		assert(await f.locator("#follow-live").isHidden(), "the button is still there");
		await presenter.keyboard.press("ArrowRight");
		const t2 = await reach(presenter, "3.0", 10000);
		const at = await Promise.all(followers.map((x) => reach(x, "3.0", 10000)));
		assert(at.every((t) => t - t2 <= LIMIT_MS), `followers after ${at.map((t) => t - t2)} ms`);
	});

	// Waits until a page's slide shows want, by asking the slide itself.
	const shows = async (page, want, limit) => {
		const end = Date.now() + limit;
		while (await where(page) !== want) {
			assert(Date.now() < end, `shows ${await where(page)}, not ${want}`);
			await sleep(50);
		}
	};

	await test(`${label}: the presenter opens the audience window; keys in either window move both`, async () => {
		const [aud] = await Promise.all([presenter.waitForEvent("popup"), presenter.click("#p-audience")]);
		await shows(aud, "3.0", 8000);
		await aud.bringToFront();
		await aud.keyboard.press("Home");
		await shows(aud, "0.0", 8000);
		await shows(presenter, "0.0", 8000);
		await presenter.bringToFront();
		await presenter.keyboard.press("ArrowRight");
		await shows(presenter, "1.0", 8000);
		await shows(aud, "1.0", 8000);
		await presenter.keyboard.press("ArrowRight");
		await shows(aud, "1.1", 8000);
		const html = await aud.content();
		assert(!html.includes(marker), "the audience window holds a note");
		await aud.close();
	});

	if (label !== "dev") await test(`${label}: screenshots of the presenter view and the follower's view at 390x844, 1024x768, 1920x1080`, async () => {
		for (const [w, h] of [[390, 844], [1024, 768], [1920, 1080]]) {
			await presenter.setViewportSize({ width: w, height: h });
			await followers[1].setViewportSize({ width: w, height: h });
			await sleep(400);
			await presenter.screenshot({ path: `${art}/${label}-presenter-${w}x${h}.png` });
			await followers[1].screenshot({ path: `${art}/${label}-follow-${w}x${h}.png` });
		}
	});
	await test(`${label}: no script error in the presenter view`, async () => {
		assert(errors.length === 0, errors.join("\n"));
	});

	await pctx.close();
	for (const f of followers)
		await f.context().close();
}
await browser.close();
process.exit(finish());
