// typeset.mjs: code and formulas in the browser (run by tests/typeset.sh); prints TAP
// numbered from TAP_START + 1. Environment: DEV_URL and NGX_URL (the top of the
// decks on each server, ending in "/"), EXPORT_DIR (the exported deck), CHROMIUM,
// ARTIFACTS (screenshots). The deck is tests/data/typeset/typeset.drf: page 0 C,
// page 1 Python and shell, page 2 numbered and marked lines, page 3 formulas.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { assert, finish, launch, test } from "./tap.mjs";

const env = process.env;
const art = env.ARTIFACTS || "test-artifacts/typeset";
mkdirSync(art, { recursive: true });
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SIZES = [[390, 844], [1024, 768], [1920, 1080]];

// Returns the frame named "slide" once it has loaded url's page, or the page itself.
async function slideFrame(page) {
	const f = page.frame({ name: "slide" });
	if (f)
		await f.waitForLoadState("load");
	return f || page.mainFrame();
}

// The code blocks of a document once highlighted: for each, its language, the
// colour of its first keyword and of its plain text (identifiers are plain
// text in highlight.js), and the identifiers that are plain text.
async function codeBlocks(frame, want) {
	await frame.waitForFunction((k) => document.querySelectorAll("pre > code.hljs").length >= k,
	    want, { timeout: 30000 });
	return frame.evaluate(() => [...document.querySelectorAll("pre > code.hljs")].map((c) => {
		const kw = c.querySelector(".hljs-keyword");
		const words = [];
		for (const t of c.childNodes)
			if (t.nodeType === 3)
				words.push(...(t.textContent.match(/[A-Za-z_]\w*/g) || []));
		for (const l of c.querySelectorAll(".code-line"))
			for (const t of l.childNodes)
				if (t.nodeType === 3)
					words.push(...(t.textContent.match(/[A-Za-z_]\w*/g) || []));
		return {
			lang: c.className.match(/language-(\w+)/)[1],
			keyword: kw ? kw.textContent : null,
			keywordColor: kw ? getComputedStyle(kw).color : null,
			plainColor: getComputedStyle(c.querySelector(".code-line") || c).color,
			identifiers: words,
			kinds: [...new Set([...c.querySelectorAll("span[class^=hljs-]")].map((s) => s.className))],
		};
	}));
}

// Checks that every block of the languages given shows keywords in a colour of their own.
function assertColoured(blocks, langs) {
	for (const lang of langs) {
		const b = blocks.find((x) => x.lang === lang);
		assert(b, `no highlighted ${lang} block (${blocks.map((x) => x.lang)})`);
		assert(b.keyword, `${lang}: no keyword token (${b.kinds})`);
		assert(b.identifiers.length > 0, `${lang}: no identifier in plain text`);
		assert(b.keywordColor !== b.plainColor,
		    `${lang}: the keyword "${b.keyword}" is ${b.keywordColor}, like the identifiers`);
	}
}

// The formulas of a document once typeset, as MathML structure.
async function formulas(frame) {
	await frame.waitForFunction(() => document.querySelectorAll(".katex math").length >= 4,
	    null, { timeout: 30000 });
	await frame.evaluate(() => document.fonts.ready);
	return frame.evaluate(() => {
		const display = [...document.querySelectorAll(".katex-display math")];
		const inline = [...document.querySelectorAll(".katex math")].filter((m) => !m.closest(".katex-display"));
		const mtable = display.map((m) => m.querySelector("mtable")).find(Boolean);
		return {
			inline: inline.length,
			inlineFrac: inline.some((m) => m.querySelector("mfrac") && m.getAttribute("display") !== "block"),
			display: display.length,
			sum: display.some((m) => m.getAttribute("display") === "block" &&
			    [...m.querySelectorAll("munderover")].some((u) => u.firstElementChild &&
			    u.firstElementChild.textContent === "∑" && u.children.length === 3)),
			rows: mtable ? mtable.querySelectorAll(":scope > mtr").length : 0,
			cells: mtable ? mtable.querySelectorAll(":scope > mtr > mtd").length : 0,
			tex: [...document.querySelectorAll(".katex math annotation[encoding='application/x-tex']")].length,
			font: [...document.fonts].some((f) => f.family.replace(/"/g, "") === "KaTeX_Main" && f.status === "loaded"),
		};
	});
}

// Checks the formulas of the formula page: a fraction inline, a sum with limits, a 2x2 matrix.
function assertFormulas(f) {
	assert(f.inline >= 2 && f.inlineFrac, `inline formulas ${f.inline}, a fraction among them: ${f.inlineFrac}`);
	assert(f.display >= 2, `${f.display} displayed formulas`);
	assert(f.sum, "no displayed sum with limits (munderover)");
	assert(f.rows === 2 && f.cells === 4, `the matrix has ${f.rows} rows and ${f.cells} cells`);
	assert(f.tex === f.inline + f.display, `${f.tex} TeX annotations for ${f.inline + f.display} formulas`);
	assert(f.font, "KaTeX's font did not load");
}

// Returns what of the code and formulas lies outside the slide canvas.
async function outsideCanvas(frame) {
	return frame.evaluate(() => {
		const c = document.getElementById("canvas").getBoundingClientRect();
		const out = [];
		for (const e of document.querySelectorAll("#canvas pre, #canvas .katex")) {
			const b = e.getBoundingClientRect();
			if (b.left < c.left - 1 || b.right > c.right + 1 || b.top < c.top - 1 || b.bottom > c.bottom + 1)
				out.push(`${e.tagName}.${e.className} ${Math.round(b.left)},${Math.round(b.top)}-` +
				    `${Math.round(b.right)},${Math.round(b.bottom)} outside ${Math.round(c.left)},` +
				    `${Math.round(c.top)}-${Math.round(c.right)},${Math.round(c.bottom)}`);
		}
		const scale = document.getElementById("canvas").style.getPropertyValue("--scale");
		if (!scale)
			out.push("the canvas is not scaled");
		return out;
	});
}

// Runs axe-core on a frame; returns its violations, one line each.
async function axeViolations(frame) {
	await frame.addScriptTag({ path: axePath });
	const r = await frame.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], preload: false }));
	return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target.join(" ")).slice(0, 3).join(", ")})`);
}

const browser = await launch();

// A context that records every request and every failed one.
async function recorded() {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	ctx.requests = [];
	ctx.failures = [];
	ctx.on("request", (r) => ctx.requests.push(r.url()));
	ctx.on("requestfailed", (r) => {
		// A navigation cuts what the page it leaves still loads (the dev
		// server's live-reload request always): not a failure.
		if (!(r.failure() && r.failure().errorText === "net::ERR_ABORTED"))
			ctx.failures.push(`${r.url()}: ${r.failure() && r.failure().errorText} (in ${r.frame().url()})`);
	});
	ctx.on("response", (r) => { if (r.status() >= 400) ctx.failures.push(`${r.url()}: ${r.status()}`); });
	return ctx;
}

// The checks of one site: label, the URL of a page, of the print view, and
// of the presentation (null for the export, which has none).
async function site(label, origin, url) {
	const ctx = await recorded();
	const page = await ctx.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));

	await test(`${label}: C, Python and shell code show keywords in a colour of their own`, async () => {
		await page.goto(url.page(0));
		assertColoured(await codeBlocks(page.mainFrame(), 1), ["c"]);
		await page.goto(url.page(1));
		assertColoured(await codeBlocks(page.mainFrame(), 2), ["python", "bash"]);
	});
	await test(`${label}: data-line-numbers numbers the lines from 10, data-mark-lines marks 11 and 12`, async () => {
		await page.goto(url.page(2));
		const b = await codeBlocks(page.mainFrame(), 1);
		assertColoured(b, ["python"]);
		const lines = await page.evaluate(() => [...document.querySelectorAll("pre code .code-line")].map((l) =>
		    `${l.tagName.toLowerCase()}:${l.dataset.n}:${getComputedStyle(l, "::before").content}`));
		// The number is the line's generated content, with empty alternative text.
		assert(lines.join(" ") === 'span:10:"10" / "" mark:11:"11" / "" mark:12:"12" / "" span:13:"13" / ""',
		    lines.join(" "));
		const text = await page.evaluate(() => document.querySelector("pre code").textContent);
		assert(text.startsWith("import smtplib\nwith smtplib") && !/\d\d import/.test(text),
		    `the code's text changed: ${JSON.stringify(text.slice(0, 40))}`);
	});
	await test(`${label}: an inline fraction, a sum with limits and a 2x2 matrix are MathML`, async () => {
		await page.goto(url.page(3));
		assertFormulas(await formulas(page.mainFrame()));
		const bad = await outsideCanvas(page.mainFrame());
		assert(bad.length === 0, bad.join("\n"));
	});
	await test(`${label}: TeX inside <code> and plain text code stay as written`, async () => {
		await page.goto(url.page(4));
		await codeBlocks(page.mainFrame(), 1);
		const r = await page.evaluate(() => ({
			katex: document.querySelectorAll(".katex").length,
			code: [...document.querySelectorAll("p code")].map((c) => c.textContent).join(),
			tokens: document.querySelectorAll("pre code [class^=hljs-]").length,
		}));
		assert(r.katex === 0 && r.code === "\\(x\\)" && r.tokens === 0, JSON.stringify(r));
	});
	await test(`${label}: axe finds no violation on the pages of code and formulas`, async () => {
		const bad = [];
		for (const p of [0, 1, 2, 3]) {
			await page.goto(url.page(p));
			await (p === 3 ? formulas(page.mainFrame()) : codeBlocks(page.mainFrame(), 1));
			bad.push(...(await axeViolations(page.mainFrame())).map((v) => `page ${p}: ${v}`));
		}
		assert(bad.length === 0, bad.join("\n"));
	});
	await test(`${label}: the print view shows the code coloured and the formulas typeset`, async () => {
		await page.goto(url.print);
		await page.emulateMedia({ media: "print" });
		assertColoured(await codeBlocks(page.mainFrame(), 5), ["c", "python", "bash"]);
		assertFormulas(await formulas(page.mainFrame()));
		const v = await axeViolations(page.mainFrame());
		assert(v.length === 0, v.join("\n"));
		await page.locator("#page-3").screenshot({ path: `${art}/${label}-print-formulas.png` });
		await page.locator("#page-0").screenshot({ path: `${art}/${label}-print-code.png` });
		await page.emulateMedia({ media: "screen" });
	});
	if (url.overview)
		await test(`${label}: the overview shows the code coloured and the formulas typeset`, async () => {
			await page.goto(url.overview);
			assertColoured(await codeBlocks(page.mainFrame(), 5), ["c", "python", "bash"]);
			assertFormulas(await formulas(page.mainFrame()));
		});
	for (const layout of url.present ? ["frames", "view", "present"] : ["frames"]) {
		await test(`${label}: in the ${layout} layout, code and formulas fit the scaled canvas at every size`, async () => {
			const bad = [];
			for (const [w, h] of SIZES) {
				await page.setViewportSize({ width: w, height: h });
				for (const p of [0, 3]) {
					await page.goto(url[layout](p));
					let f = await slideFrame(page);
					// The exported frameset always starts at its first page.
					if (url.framePage && p !== 0) {
						await f.goto(url.page(p));
						f = await slideFrame(page);
					}
					if (p === 0)
						assertColoured(await codeBlocks(f, 1), ["c"]);
					else
						assertFormulas(await formulas(f));
					await f.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
					bad.push(...(await outsideCanvas(f)).map((m) => `${w}x${h} page ${p}: ${m}`));
					await page.screenshot({ path: `${art}/${label}-${layout}-${p === 0 ? "code" : "formulas"}-${w}x${h}.png` });
				}
			}
			await page.setViewportSize({ width: 1280, height: 800 });
			assert(bad.length === 0, bad.join("\n"));
		});
	}
	await test(`${label}: no request leaves ${origin === "file:" ? "the exported folder" : "the server"}, none fails`, async () => {
		const away = ctx.requests.filter((u) => new URL(u).origin !== origin &&
		    !(origin === "file:" && u.startsWith("file://")));
		assert(ctx.requests.some((u) => /vendor\/katex\/fonts\/KaTeX_Main-Regular\.woff2$/.test(u)),
		    "KaTeX's font was never asked for");
		assert(away.length === 0, `requests elsewhere: ${away.join(" ")}`);
		assert(ctx.failures.length === 0, ctx.failures.join("\n"));
		assert(errors.length === 0, errors.join("\n"));
	});
	await ctx.close();
}

// The URLs of a served deck below base.
function served(base) {
	const d = `${base}typeset/`;
	return {
		page: (p) => `${d}${p}`, print: `${d}print`, overview: `${d}overview`,
		frames: (p) => `${d}?page=${p}`,
		view: (p) => `${d}view?page=${p}`, present: (p) => `${d}present?page=${p}`,
	};
}

await site("dev", new URL(env.DEV_URL).origin, served(env.DEV_URL));
await site("nginx", new URL(env.NGX_URL).origin, served(env.NGX_URL));
const x = `file://${env.EXPORT_DIR}`;
await site("export", "file:", {
	page: (p) => `${x}/typeset${p}.html`, print: `${x}/print.html`,
	frames: () => `${x}/index.html`, framePage: true,
});
await browser.close();
process.exitCode = finish();
