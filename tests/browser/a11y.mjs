// a11y.mjs: the accessibility tests of drfslides (run by tests/a11y.sh); prints TAP
// numbered from TAP_START + 1. axe-core in every document and frame, in both
// themes, at three sizes; the theme toggle and the deck's #theme; the skip
// links, visible focus, reduced motion, reflow at 320 CSS px and 200 % zoom.
// Environment: BASES (label=url pairs, space-separated, each url ending in
// "/"), CHROMIUM, ARTIFACTS (screenshots); A11Y_ONLY=themes|keyboard|reflow|spacing|axe
// runs one group, A11Y_TIMES=1 prints the time each document takes.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { assert, finish, launch, sleep, test } from "./tap.mjs";

// A check of this file: up to two minutes, as a busy machine may need.
const check = (desc, fn, limit = 120000) => test(desc, fn, limit);

const env = process.env;
const art = env.ARTIFACTS || "test-artifacts/a11y";
mkdirSync(art, { recursive: true });
// axe-core keeps the document of the window it was loaded into: loaded
// before a frame's first navigation (which keeps the window of its first,
// empty document), it would audit that empty document. So it is loaded into
// each frame's document just before its audit.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const SIZES = [[390, 844], [1024, 768], [1920, 1080]];
const THEMES = ["default", "high-contrast"];
// Every kind of document: [name, address, screenshot?]. long/0 is a title
// page, long/1 a table, long/2 code; empty is a deck without pages.
const DOCS = [
	["index", ""],
	["frameset", "smtp/?page=1"],
	["view-title", "long/view?page=0", true],
	["view-table", "long/view?page=1", true],
	["view-code", "long/view?page=2", true],
	["present", "smtp/present?page=3"],
	["present-title", "long/present?page=0", true],
	["present-table", "long/present?page=1", true],
	["present-code", "long/present?page=2", true],
	["present-empty", "empty/present", true],
	["overview", "smtp/overview"],
	["print", "smtp/print"],
	["glossary", "smtp/glossary/smtp.html"],
	["glossary-missing", "smtp/glossary/nosuchterm.html"],
	["error", "nosuchdeck/"],
];

const browser = await launch();

// A context whose documents start with the viewer's choice of theme (or none).
async function themed(theme) {
	const ctx = await browser.newContext();
	if (theme)
		await ctx.addInitScript((t) => {
			try {
				localStorage.setItem("drfslides-theme", t);
			} catch { /* about:blank */ }
		}, theme);
	return ctx;
}

// Waits until every document of the page has loaded and laid out its slide.
async function settled(page) {
	const end = Date.now() + 10000;
	for (const f of page.frames()) {
		for (;;) {
			let ready;
			try {
				ready = await f.evaluate(() => document.readyState === "complete" &&
				    (!document.getElementById("canvas") ||
				    document.getElementById("canvas").style.getPropertyValue("--scale") !== ""));
			} catch {
				ready = true;	// a frame gone or replaced: the audit reads it again
			}
			if (ready || Date.now() > end)
				break;
			await sleep(50);
		}
	}
	await sleep(250);	// transitions (the presentation's navigation fades)
}

// Runs axe-core in every frame; returns its violations and each frame's theme.
async function audit(page) {
	const out = [];
	const themes = [];
	for (const f of page.frames()) {
		if (f.url() === "about:blank" || f.url() === "")
			continue;
		await f.evaluate(axeSource);
		const r = await f.evaluate(async () => {
			// The classic frameset (HTML 4.01) has no body to hold a main
			// landmark or a heading: its frames, audited one by one, do.
			const frameset = !!document.querySelector("frameset");
			const res = await window.axe.run(document, {
				iframes: false, resultTypes: ["violations"],
				rules: { "target-size": { enabled: true },
				    "landmark-one-main": { enabled: !frameset },
				    "page-has-heading-one": { enabled: !frameset } },
			});
			return {
				theme: document.body && document.body.tagName !== "FRAMESET" ?
				    document.documentElement.getAttribute("data-theme") || "default" : null,
				v: res.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` +
				    v.nodes.slice(0, 3).map((x) => x.target.join(" ") + " " +
				    (x.failureSummary || "").replace(/\s+/g, " ").slice(0, 160)).join(" | ")),
			};
		});
		for (const v of r.v)
			out.push(`${f.name() || "top"} ${f.url()}: ${v}`);
		if (r.theme)
			themes.push([f.url(), r.theme]);
	}
	return { violations: out, themes };
}

async function axeMatrix(label, base, sizes, themes) {
	for (const theme of themes) {
		const ctx = await themed(theme);
		const pages = await Promise.all(sizes.map(async ([w, h]) => {
			const p = await ctx.newPage();
			await p.setViewportSize({ width: w, height: h });
			p.size = `${w}x${h}`;
			return p;
		}));
		const t0 = Date.now();
		await check(`${label}: axe-core finds no violation of any impact in any document or frame, ${theme} theme, at ${sizes.map((s) => s.join("x")).join(", ")}`, async () => {
			const bad = [];
			let docs = 0;
			await Promise.all(pages.map(async (page) => {
				for (const [name, url, shot] of DOCS) {
					const t1 = Date.now();
					await page.goto(base + url, { waitUntil: "load" });
					await settled(page);
					const r = await audit(page);
					docs += r.themes.length;
					for (const v of r.violations)
						bad.push(`${page.size} ${name}: ${v}`);
					for (const [u, t] of r.themes)
						if (t !== theme)
							bad.push(`${page.size} ${name}: ${u} shows the ${t} theme`);
					if (shot && sizes.length > 1)
						await page.screenshot({ path: `${art}/${name}-${theme}-${page.size}.png` });
					if (env.A11Y_TIMES)
						console.log(`# ${page.size} ${name} ${Date.now() - t1} ms`);
				}
			}));
			assert(docs >= DOCS.length * sizes.length, `only ${docs} documents audited`);
			assert(bad.length === 0, bad.join("\n"));
		}, 400000);
		console.log(`# ${label} axe ${theme}: ${Date.now() - t0} ms`);
		await ctx.close();
	}
}

// Returns the theme the frame named name (or the top document) shows.
function shown(page, name) {
	const f = name ? page.frame({ name }) : page.mainFrame();
	return f.evaluate(() => [document.documentElement.getAttribute("data-theme") || "default",
	    getComputedStyle(document.body).backgroundColor]);
}

// Waits until cond() holds.
async function until(cond, what, timeout = 5000) {
	const end = Date.now() + timeout;
	while (!(await cond())) {
		if (Date.now() > end)
			throw new Error(`timed out: ${what}`);
		await sleep(50);
	}
}

async function themes(label, base) {
	await check(`${label}: a deck of "#theme high-contrast" shows white on black in every frame; the default deck dark on light`, async () => {
		const ctx = await themed(null);
		const page = await ctx.newPage();
		await page.goto(base + "hc/view?page=0", { waitUntil: "load" });
		await settled(page);
		const canvas = await page.frame({ name: "slide" }).evaluate(() => {
			const c = getComputedStyle(document.getElementById("canvas"));
			return [c.backgroundColor, c.color];
		});
		assert(canvas[0] === "rgb(0, 0, 0)" && canvas[1] === "rgb(255, 255, 255)", `hc canvas ${canvas}`);
		const d = await shown(page, "display");
		assert(d[0] === "high-contrast", `the display frame shows ${d}`);
		await page.goto(base + "smtp/view?page=1", { waitUntil: "load" });
		await settled(page);
		const s = await shown(page, "slide");
		assert(s[0] === "default", `the default deck shows ${s}`);
		await ctx.close();
	});

	await check(`${label}: the view's toggle switches the slide and the glossary at once, is pressed, and the choice outlives a reload and reaches the presentation`, async () => {
		const ctx = await themed(null);
		const page = await ctx.newPage();
		await page.goto(base + "smtp/view?page=1", { waitUntil: "load" });
		await settled(page);
		const b = page.locator("button.theme-toggle");
		assert(await b.isVisible(), "no visible toggle in the view");
		assert(await b.getAttribute("aria-pressed") === "false", "pressed before a press");
		await b.click();
		assert(await b.getAttribute("aria-pressed") === "true", "not pressed after a press");
		for (const name of [null, "slide", "display"])
			await until(async () => (await shown(page, name))[0] === "high-contrast", `${name || "top"} high-contrast`);
		await page.frame({ name: "slide" }).click('nav.slide-nav a[rel="next"]');
		await until(async () => { try { return (await shown(page, "slide"))[0] === "high-contrast" &&
		    await page.frame({ name: "slide" }).evaluate(() => document.body.dataset.page) === "2"; } catch { return false; } },
		"the next page in high contrast");
		await page.reload({ waitUntil: "load" });
		assert((await shown(page, "slide"))[0] === "high-contrast", "the choice is lost on reload");
		await page.goto(base + "smtp/present?page=1", { waitUntil: "load" });
		await settled(page);
		const pb = page.locator("button.theme-toggle");
		assert(await pb.isVisible() && await pb.getAttribute("aria-pressed") === "true",
		    "the presentation's toggle does not show the choice");
		assert((await shown(page, "slide"))[0] === "high-contrast", "the presentation is not in high contrast");
		await pb.click();
		await until(async () => (await shown(page, "slide"))[0] === "default", "back to the default theme");
		await ctx.close();
	});

	await check(`${label}: a browser that asks for more contrast gets the high-contrast theme until the viewer chooses`, async () => {
		const ctx = await themed(null);
		const page = await ctx.newPage();
		await page.emulateMedia({ contrast: "more" });
		await page.goto(base + "smtp/view?page=1", { waitUntil: "load" });
		await settled(page);
		assert((await shown(page, "slide"))[0] === "high-contrast", "prefers-contrast: more is ignored");
		await page.click("button.theme-toggle");
		await until(async () => (await shown(page, "slide"))[0] === "default", "the viewer's choice wins");
		await ctx.close();
	});
}

// The active element of a frame: [tag, id, class, outline, box].
function focused(f) {
	return f.evaluate(() => {
		const a = document.activeElement;
		const s = getComputedStyle(a);
		const b = a.getBoundingClientRect();
		return { tag: a.tagName, id: a.id, cls: a.className, style: s.outlineStyle,
		    width: parseFloat(s.outlineWidth), color: s.outlineColor,
		    top: b.top, left: b.left, bottom: b.bottom, right: b.right, vw: innerWidth, vh: innerHeight };
	});
}

async function keyboard(label, base) {
	for (const theme of THEMES) {
		await check(`${label}: a skip link comes first in the tab order of the view, a slide and the print view, shows when focused and moves past the bars; focus is visible (${theme})`, async () => {
			const ctx = await themed(theme);
			const page = await ctx.newPage();
			await page.setViewportSize({ width: 1024, height: 768 });
			for (const [url, target] of [["smtp/view?page=1", "slide-frame"], ["smtp/2", "slide"], ["smtp/print", "pages"]]) {
				await page.goto(base + url, { waitUntil: "load" });
				await settled(page);
				const first = await page.evaluate(() => {
					const all = document.querySelectorAll("a[href], button, iframe, textarea, [tabindex]");
					const f = Array.from(all).find((e) => e.tabIndex >= 0 && !e.hidden);
					return f ? f.className : null;
				});
				assert(first === "skip", `${url}: the first stop of Tab is .${first}`);
				await page.focus("a.skip");
				let a = await focused(page.mainFrame());
				assert(a.top >= 0 && a.bottom <= a.vh && a.left >= 0, `${url}: the focused skip link is off screen: ${JSON.stringify(a)}`);
				assert(a.style !== "none" && a.width >= 2, `${url}: the skip link's focus is not visible: ${JSON.stringify(a)}`);
				await page.keyboard.press("Enter");
				a = await focused(page.mainFrame());
				assert(a.id === target, `${url}: Enter on the skip link focuses ${JSON.stringify(a)}`);
			}
			// The next Tab from the slide lands on a link with a visible focus ring.
			await page.goto(base + "smtp/view?page=1", { waitUntil: "load" });
			await settled(page);
			await page.focus("a.skip");
			await page.keyboard.press("Enter");
			await page.keyboard.press("Tab");
			let a = await focused(page.frame({ name: "slide" }));
			for (let i = 0; i < 3 && a.tag !== "A"; i++) {
				await page.keyboard.press("Tab");
				a = await focused(page.frame({ name: "slide" }));
			}
			assert(a.tag === "A" && a.style !== "none" && a.width >= 2, `slide: ${JSON.stringify(a)}`);
			await ctx.close();
		}, 180000);
	}

	await check(`${label}: WCAG 2.1.4: the view's "Letter keys" button turns the character keys off: B, O and G do nothing in the view, the frameset and the presentation while the arrows still move; the choice lasts and turns back on`, async () => {
		const ctx = await themed(null);
		const page = await ctx.newPage();
		await page.setViewportSize({ width: 1024, height: 768 });
		const slide = () => page.frame({ name: "slide" });
		const at = () => slide().evaluate(() => [document.body.dataset.page,
		    document.documentElement.classList.contains("black"), location.pathname]);
		const moved = (want, what) => until(async () => {
			try { return (await at())[0] === want; } catch { return false; }
		}, what);
		await page.goto(base + "smtp/view?page=1", { waitUntil: "load" });
		await settled(page);
		const b = page.locator("button.keys-toggle");
		assert(await b.isVisible() && await b.getAttribute("aria-pressed") === "true", "no pressed keys toggle in the view");
		// On: B blacks the screen out, the next key brings it back.
		await page.keyboard.press("b");
		assert((await at())[1], "B does not black the screen out with the keys on");
		await page.keyboard.press("b");
		await b.click();
		assert(await b.getAttribute("aria-pressed") === "false", "not released after a press");
		for (const [doc, tb] of [["smtp/view?page=1", null], ["smtp/?page=1", "display"], ["smtp/present?page=1", null]]) {
			if (doc !== "smtp/view?page=1") {
				await page.goto(base + doc, { waitUntil: "load" });
				await settled(page);
			}
			const shown = tb ? page.frame({ name: tb }).locator("button.keys-toggle") : page.locator("button.keys-toggle");
			await until(async () => await shown.getAttribute("aria-pressed") === "false", `${doc}: the toggle shows the choice`);
			for (const k of ["b", ".", "o", "g", "5"])
				await page.keyboard.press(k);
			await sleep(500);
			const a = await at();
			assert(a[0] === "1" && !a[1] && !/overview/.test(a[2]), `${doc}: a character key acted with the keys off: ${a}`);
			assert(!(await slide().evaluate(() => { const p = document.getElementById("drf-goto"); return p && !p.hidden; })),
			    `${doc}: G asks for a page with the keys off`);
			await page.keyboard.press("ArrowRight");
			await moved("2", `${doc}: the arrow key moves with the keys off`);
			await page.keyboard.press("PageUp");
			await moved("1", `${doc}: Page Up moves back with the keys off`);
		}
		// Back on, in the presentation: B acts again, everywhere.
		await page.locator("button.keys-toggle").click();
		assert(await page.locator("button.keys-toggle").getAttribute("aria-pressed") === "true", "not pressed again");
		await slide().focus("body").catch(() => {});
		await page.keyboard.press("b");
		assert((await at())[1], "B does not act once the keys are on again");
		await page.screenshot({ path: `${art}/${label}-keys-toggle-present.png` });
		await ctx.close();
	}, 180000);

	await check(`${label}: with reduced motion nothing fades: a step appears at once`, async () => {
		const ctx = await themed(null);
		const page = await ctx.newPage();
		const durations = [];
		for (const motion of ["no-preference", "reduce"]) {
			await page.emulateMedia({ reducedMotion: motion });
			await page.goto(base + "steps/present?page=0", { waitUntil: "load" });
			await settled(page);
			durations.push(await page.frame({ name: "slide" }).evaluate(() =>
			    getComputedStyle(document.querySelector(".step")).transitionDuration));
		}
		assert(durations[0] !== "0s", `a step does not fade even without reduced motion: ${durations}`);
		assert(durations[1] === "0s", `a step fades with reduced motion: ${durations}`);
		await ctx.close();
	});
}

// Returns what scrolls sideways or is cut off in any document of the page.
async function reflowFaults(page) {
	const bad = [];
	for (const f of page.frames()) {
		if (f.url() === "about:blank")
			continue;
		const r = await f.evaluate(() => {
			const e = document.scrollingElement || document.documentElement;
			const out = [];
			if (!document.body || document.body.tagName === "FRAMESET")
				return out;
			if (e.scrollWidth > e.clientWidth + 1)
				out.push(`scrolls sideways (${e.scrollWidth} > ${e.clientWidth})`);
			for (const a of document.querySelectorAll("a[href], button:not([hidden])")) {
				const b = a.getBoundingClientRect();
				if (b.width > 0 && (b.right > innerWidth + 1 || b.left < -1) &&
				    !a.closest(".canvas, .skip, .thumb-stage"))
					out.push(`${a.textContent.trim().slice(0, 30)} cut off at ${b.left}..${b.right}`);
			}
			return out;
		});
		for (const m of r)
			bad.push(`${f.name() || "top"} ${f.url()}: ${m}`);
	}
	return bad;
}

async function reflow(label, base) {
	// 320x256 is 1280x1024 at 400 %; 640x512 the same at 200 %.
	for (const [w, h] of [[320, 256], [640, 512]]) {
		await check(`${label}: at ${w}x${h} CSS px (1280x1024 zoomed ${1280 / w * 100} %) no document scrolls sideways and no control is cut off`, async () => {
			const ctx = await themed(null);
			const page = await ctx.newPage();
			await page.setViewportSize({ width: w, height: h });
			const bad = [];
			for (const [name, url] of DOCS) {
				await page.goto(base + url, { waitUntil: "load" });
				await settled(page);
				for (const m of await reflowFaults(page))
					bad.push(`${name}: ${m}`);
				if (name === "print" || name === "view-table")
					await page.screenshot({ path: `${art}/${label}-reflow-${name}-${w}x${h}.png`, fullPage: name === "print" });
			}
			assert(bad.length === 0, bad.join("\n"));
			await ctx.close();
		}, 120000);
	}

	await check(`${label}: at 200 % zoom the print view's text is twice as large on the screen; the presentation's slide keeps its size`, async () => {
		const ctx = await themed(null);
		const sizes = [];
		for (const [w, h, dpr] of [[1280, 1024, 1], [640, 512, 2]]) {
			const page = await ctx.newPage();
			await page.setViewportSize({ width: w, height: h });
			await page.goto(base + "smtp/print", { waitUntil: "load" });
			const p = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".print-page .slide-body")).fontSize));
			await page.goto(base + "long/present?page=0", { waitUntil: "load" });
			await settled(page);
			const s = await page.frame({ name: "slide" }).evaluate(() => {
				const b = document.querySelector(".slide-body");
				const sc = parseFloat(document.getElementById("canvas").style.getPropertyValue("--scale"));
				return parseFloat(getComputedStyle(b).fontSize) * sc;
			});
			sizes.push({ print: p * dpr, slide: s * dpr });
			await page.close();
		}
		assert(sizes[1].print >= 2 * sizes[0].print - 0.5, `print text ${JSON.stringify(sizes)}`);
		assert(sizes[1].slide >= sizes[0].slide - 0.5, `slide text ${JSON.stringify(sizes)}`);
		console.log(`# ${label} text in device px at 100 % and 200 %: ${JSON.stringify(sizes)}`);
		await ctx.close();
	});
}

// WCAG 1.4.12: the text spacing a reader may set in their own style sheet.
const SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;

// Returns the text of the slide in this frame that is cut off or overlaps:
// a text box outside the canvas (unless the canvas scrolls, past the fit's
// floor) or outside what scrolls it (a wide table or code block), a text
// box wider than it shows, blocks of the page text over one another, or a
// navigation link cut off or over another.
function spacingFaults(f) {
	return f.evaluate(() => {
		const out = [];
		const canvas = document.getElementById("canvas");
		const c = canvas.getBoundingClientRect();
		const scrolls = canvas.classList.contains("overflow");
		const name = (e) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 24)}"`;
		const sel = ".canvas :is(p, li, h1, h2, h3, h4, td, th, dt, dd, blockquote, figcaption, pre, .deck-header, .deck-footer)";
		for (const e of document.querySelectorAll(sel)) {
			const b = e.getBoundingClientRect();
			if (b.width === 0 || e.closest(".sr-only"))
				continue;
			const box = e.parentElement.closest("pre, .table-scroll, [style*=overflow]") ||
			    Array.from(document.querySelectorAll(".canvas *")).find((x) => x.contains(e) && x !== e &&
			    /auto|scroll/.test(getComputedStyle(x).overflowX));
			if (box) {
				const r = box.getBoundingClientRect();
				if (b.top < r.top - 1 || b.bottom > r.bottom + 1 && !/auto|scroll/.test(getComputedStyle(box).overflowY))
					out.push(`${name(e)} is cut off by what scrolls it`);
			} else if (b.left < c.left - 1 || b.right > c.right + 1 ||
			    (!scrolls && (b.top < c.top - 1 || b.bottom > c.bottom + 1)))
				out.push(`${name(e)} at ${Math.round(b.left)},${Math.round(b.top)}..${Math.round(b.right)},${Math.round(b.bottom)} is outside the canvas ${Math.round(c.left)},${Math.round(c.top)}..${Math.round(c.right)},${Math.round(c.bottom)}`);
			const s = getComputedStyle(e);
			if (s.overflowX === "hidden" && e.scrollWidth > e.clientWidth + 1)
				out.push(`${name(e)} is cut at its right edge`);
		}
		let prev = null;
		for (const e of document.querySelectorAll(".slide-body > *")) {
			const b = e.getBoundingClientRect();
			const s = getComputedStyle(e);
			if (b.height === 0 || s.position === "absolute" || /^inline|^contents|^none/.test(s.display))
				continue;	/* text in a line: the line boxes keep it apart */
			if (prev && b.top < prev.b.bottom - 1)
				out.push(`${name(e)} overlaps ${name(prev.e)}`);
			prev = { e, b };
		}
		const links = Array.from(document.querySelectorAll(".slide-nav a, .slide-nav .counter, .slide-nav .off"))
		    .filter((e) => e.getBoundingClientRect().width > 0);
		for (const [i, e] of links.entries()) {
			const b = e.getBoundingClientRect();
			if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
				out.push(`navigation ${name(e)} is cut off`);
			if (b.left < -1 || b.right > innerWidth + 1 || b.bottom > innerHeight + 1)
				out.push(`navigation ${name(e)} is off the screen`);
			for (const o of links.slice(i + 1)) {
				const r = o.getBoundingClientRect();
				if (b.left < r.right - 1 && r.left < b.right - 1 && b.top < r.bottom - 1 && r.top < b.bottom - 1)
					out.push(`navigation ${name(e)} overlaps ${name(o)}`);
			}
		}
		return out;
	});
}

async function spacing(label, base) {
	await check(`${label}: with the text spacing of WCAG 1.4.12 in the reader's style sheet, no text of any page is cut off or overlaps at 1024x768 (the slide shrinks to fit, or scrolls)`, async () => {
		const ctx = await themed(null);
		// The reader's style sheet: the rules come last, as a user's do.
		await ctx.route(/\/drfslides\.css$/, async (route) => {
			const r = await route.fetch();
			await route.fulfill({ response: r, body: await r.text() + "\n" + SPACING });
		});
		const page = await ctx.newPage();
		await page.setViewportSize({ width: 1024, height: 768 });
		const bad = [];
		let n = 0;
		for (const [deck, total] of [["smtp", 13], ["long", 5], ["steps", 2]]) {
			for (let i = 0; i < total; i++) {
				await page.goto(`${base}${deck}/${i}#all`, { waitUntil: "load" });
				await settled(page);
				const applied = await page.evaluate(() => getComputedStyle(document.querySelector(".slide-body")).letterSpacing);
				assert(applied !== "normal", `${deck}/${i}: the spacing is not applied (${applied})`);
				for (const m of await spacingFaults(page.mainFrame()))
					bad.push(`${deck}/${i}: ${m}`);
				n++;
			}
		}
		await page.goto(`${base}long/1`, { waitUntil: "load" });
		await settled(page);
		await page.screenshot({ path: `${art}/${label}-spacing-long-1.png` });
		assert(n === 20, `${n} pages checked`);
		assert(bad.length === 0, bad.join("\n"));
		await ctx.close();
	}, 180000);
}

// axe-core runs on every server at every size in both themes: the dev
// server's documents differ (its script and banners). The other groups test
// what both servers send alike, on the last server named.
try {
	const bases = (env.BASES || "").split(" ").filter(Boolean);
	for (const [i, pair] of bases.entries()) {
		const [label, base] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
		const all = i === bases.length - 1;
		for (const [group, fn] of [["themes", themes], ["keyboard", keyboard], ["reflow", reflow], ["spacing", spacing], ["axe", axeMatrix]])
			if ((!env.A11Y_ONLY || env.A11Y_ONLY === group) && (all || group === "axe"))
				await fn(label, base, SIZES, THEMES);
	}
} finally {
	await browser.close();
}
process.exitCode = finish();
