// search-keys.mjs: search in a real browser: '/' opens the search page from
// every layout of a slide, the form finds a word, and a result leads to its
// page; in a deck of a course folder, '/' opens the course's search, which
// keeps to its decks. Environment: DEV_URL (the dev server, ending in "/"),
// DECK (a deck whose page 1 holds the word WORD), NESTED (a deck in the
// course folder COURSE whose page 1 holds NESTED_WORD and page 0 WORD),
// CHROMIUM.
import { assert, finish, launch, test } from "./tap.mjs";

const env = process.env;
const deck = env.DEV_URL + env.DECK + "/";

const browser = await launch();
try {
	const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
	const page = await ctx.newPage();
	for (const [layout, address] of [["frameset", deck], ["view", deck + "view"],
	    ["presentation", deck + "present"], ["follow", deck + "follow"], ["page", deck + "1"]]) {
		await test(`${layout}: '/' opens the search page`, async () => {
			await page.goto(address, { waitUntil: "load" });
			await page.waitForFunction(() => {
				const f = [...document.querySelectorAll("iframe, frame")].find((e) => e.name === "slide");
				const w = f ? f.contentWindow : window;
				return w && typeof w.drfslidesKey === "function";
			});
			await page.keyboard.press("/");
			await page.waitForURL(env.DEV_URL + "search", { timeout: 10000 });
			assert(await page.locator("#search-q").count() === 1, "no search box on the search page");
		});
	}
	await test("the form finds a word, and its result leads to the page", async () => {
		await page.goto(env.DEV_URL + "search", { waitUntil: "load" });
		await page.fill("#search-q", env.WORD.toUpperCase());
		await page.press("#search-q", "Enter");
		await page.waitForSelector(".hit mark");
		const mark = await page.textContent(".hit mark");
		assert(mark.toLowerCase() === env.WORD.toLowerCase(), `marked: ${mark}`);
		await page.click(".hit h2 a");
		await page.waitForURL(/\?page=1$/, { waitUntil: "commit", timeout: 15000 });
	});
	await test("a deck in a course folder: '/' opens the course's search", async () => {
		await page.goto(env.DEV_URL + env.NESTED + "/1", { waitUntil: "load" });
		await page.waitForFunction(() => typeof window.drfslidesKey === "function");
		await page.keyboard.press("/");
		await page.waitForURL(env.DEV_URL + env.COURSE + "/search", { timeout: 10000 });
		await page.fill("#search-q", env.NESTED_WORD);
		await page.press("#search-q", "Enter");
		await page.waitForSelector(".hit mark");
		// Where the result leads is what is checked: the address, once the
		// navigation commits (the frameset's load waits for all its frames).
		await page.click(".hit h2 a");
		await page.waitForURL(env.DEV_URL + env.NESTED + "/?page=1", { waitUntil: "commit", timeout: 15000 });
	});
	await test("the course's search keeps to its decks", async () => {
		await page.goto(env.DEV_URL + env.COURSE + "/search?q=" + env.WORD, { waitUntil: "load" });
		const decks = await page.locator(".hit-where").allTextContents();
		assert(decks.length === 1 && decks[0].startsWith(env.NESTED + ","),
		    `results: ${JSON.stringify(decks)}`);
	});
	await ctx.close();
} finally {
	await browser.close();
}
process.exitCode = finish();
