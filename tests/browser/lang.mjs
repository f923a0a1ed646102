// lang.mjs: the interface texts of the scripts and the label deep links in a
// real browser: the index in the browser's language (its copy button too),
// a script's texts in its deck's language, a labelled slide writing
// ?page=@LABEL into the address bar, and the overview's cards linking by
// label. Environment: DEV_URL (the dev server, ending in "/"), CHROMIUM.
import { assert, finish, launch, sleep, test } from "./tap.mjs";

const base = process.env.DEV_URL;

// The text of the first element matching sel, once a script has put one there.
async function textOf(page, sel) {
	await page.waitForSelector(sel, { timeout: 5000 });
	return (await page.textContent(sel)).trim();
}

const browser = await launch();
try {
	for (const [locale, lang, heading, copy] of [["ja-JP", "ja", "スライド一覧", "コピー"],
	    ["en-US", "en", "Slide decks", "Copy"]]) {
		const ctx = await browser.newContext({ locale, viewport: { width: 1024, height: 768 },
		    permissions: ["clipboard-read", "clipboard-write"] });
		const page = await ctx.newPage();
		await test(`a browser in ${locale}: the index is in ${lang}, its copy button too`, async () => {
			await page.goto(base, { waitUntil: "load" });
			const got = await page.evaluate(() => [document.documentElement.lang,
			    document.querySelector("h1").textContent]);
			assert(got[0] === lang && got[1] === heading, `lang ${got[0]}, heading ${got[1]}`);
			const b = await textOf(page, "button.copy");
			assert(b === copy, `the copy button says ${b}`);
		});
		await ctx.close();
	}
	const ctx = await browser.newContext({ locale: "en-US", viewport: { width: 1024, height: 768 } });
	const page = await ctx.newPage();
	await test("a labelled slide writes ?page=@LABEL into the view's address", async () => {
		await page.goto(base + "eng/view?page=1", { waitUntil: "load" });
		await page.waitForURL(/eng\/view\?page=%40Mail\+flow$/, { timeout: 5000 });
	});
	await test("... and a reload of that address opens the same slide", async () => {
		await page.reload({ waitUntil: "load" });
		const src = await page.getAttribute("#slide-frame", "src");
		assert(src === "1", `the slide frame opens ${src}`);
	});
	await test("a slide without a label keeps ?page=N", async () => {
		await page.goto(base + "eng/view?page=2", { waitUntil: "load" });
		await page.waitForURL(/eng\/view\?page=2$/, { timeout: 5000 });
	});
	await test("the overview's card of a labelled page opens the view by its label", async () => {
		await page.goto(base + "eng/overview", { waitUntil: "load" });
		const hrefs = await page.evaluate(() =>
		    [...document.querySelectorAll("a.thumb-link")].map((a) => a.getAttribute("href")));
		assert(hrefs[1] === "view?page=%40Mail%20flow" && hrefs[2] === "view?page=2",
		    `the cards link to ${hrefs.join(" ")}`);
	});
	await test("a Japanese deck's slide script says 'ページ: ' for G", async () => {
		await page.goto(base + "nihon/0", { waitUntil: "load" });
		await sleep(200);
		await page.keyboard.press("g");
		await page.keyboard.press("1");
		const t = await textOf(page, "#drf-goto");
		assert(t === "ページ: 1", `the prompt says ${t}`);
	});
	await test("an English deck's says 'Go to page: '", async () => {
		await page.goto(base + "eng/0", { waitUntil: "load" });
		await sleep(200);
		await page.keyboard.press("g");
		await page.keyboard.press("2");
		const t = await textOf(page, "#drf-goto");
		assert(t === "Go to page: 2", `the prompt says ${t}`);
	});
	await test("the presenter's timer button reads its texts from its table (Japanese deck)", async () => {
		await page.goto(base + "nihon/presenter", { waitUntil: "load" });
		await page.evaluate(() => { const d = document.getElementById("p-key"); if (d && d.open) d.close(); });
		assert((await textOf(page, "#p-timer-go")) === "開始", "the button starts as 開始");
		await page.evaluate(() => document.getElementById("p-timer-go").click());
		const t = await textOf(page, "#p-timer-go");
		assert(t === "一時停止", `after a click it says ${t}`);
	});
	await test("the print view's button is in the deck's language", async () => {
		await page.goto(base + "nihon/print", { waitUntil: "load" });
		const t = await textOf(page, "button.print-button");
		assert(t === "印刷する", `the button says ${t}`);
	});
	await ctx.close();
} finally {
	await browser.close();
}
process.exitCode = finish();
