// lighthouse.mjs: Lighthouse (npm, pinned) on Debian's chromium (CHROME_PATH,
// through chrome-launcher), offline on the loopback, desktop preset, on the
// index, the view, the presentation and the print view of the server at
// BASE: accessibility 100, best practices 95 or more, no layout shift (CLS
// 0.1 or less), and a performance budget of what does not depend on the
// machine's load: requests, bytes, script bytes, blocking resources, DOM
// size, nothing from another site (BUDGET). The performance score is a
// timing: it is printed, and judged (PERF_MIN, e.g. 0.95) only when asked,
// on a quiet machine. Prints
// TAP numbered from TAP_START + 1; reports go to ARTIFACTS as JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktop from "lighthouse/core/config/desktop-config.js";
import { assert, finish, test } from "./tap.mjs";

// A check of this file: up to two minutes, as a busy machine may need.
const check = (desc, fn, limit = 120000) => test(desc, fn, limit);

const env = process.env;
const art = env.ARTIFACTS || "test-artifacts/lighthouse";
mkdirSync(art, { recursive: true });
const base = env.BASE;
const PAGES = [["index", ""], ["view", "smtp/view"], ["present", "smtp/present"], ["print", "smtp/print"]];
const WANT = { accessibility: 1, "best-practices": 0.95,
	performance: env.PERF_MIN ? Number(env.PERF_MIN) : 0 };

// What the page weighs: measures Lighthouse takes from the requests and the
// document, not from the clock, so they do not move with the machine's load.
// The bytes are as sent, a file loaded again from the cache counting 0.
function weight(lhr) {
	const reqs = lhr.audits["network-requests"].details.items;
	const sum = (type) => reqs.filter((r) => !type || r.resourceType === type)
	    .reduce((n, r) => n + (r.transferSize || 0), 0);
	return {
		requests: reqs.length,
		bytes: lhr.audits["total-byte-weight"].numericValue,
		scriptBytes: sum("Script"),
		styleBytes: sum("Stylesheet"),
		// Chromium asks for a style sheet or a script of <head> without
		// defer or async first (priority High or more): they block the paint.
		blocking: reqs.filter((r) => r.experimentalFromMainFrame && /^(Script|Stylesheet)$/.test(r.resourceType) &&
		    /High/.test(r.priority)).length,
		domElements: lhr.audits["dom-size"].numericValue,
		thirdParty: reqs.filter((r) => new URL(r.url).origin !== new URL(base).origin).length,
	};
}

// The most each page may weigh: about 1.5 times what it weighs now, so that
// a regression (a large script, a new blocking style sheet, a framework)
// fails while the pages may still grow a little. Nothing from another site.
const BUDGET = {
	index: { requests: 8, bytes: 60000, scriptBytes: 12000, domElements: 400 },
	view: { requests: 22, bytes: 95000, scriptBytes: 42000, domElements: 100 },
	present: { requests: 18, bytes: 90000, scriptBytes: 42000, domElements: 100 },
	print: { requests: 24, bytes: 160000, scriptBytes: 12000, domElements: 400 },
};
// Every page: drfslides.css and theme.js alone block the first paint.
for (const b of Object.values(BUDGET))
	Object.assign(b, { styleBytes: 45000, blocking: 2, thirdParty: 0 });

const chrome = await chromeLauncher.launch({
	chromePath: env.CHROME_PATH || env.CHROMIUM || "/usr/bin/chromium",
	chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
	    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	logLevel: "silent",
});
try {
	for (const [name, path] of PAGES) {
		await check(`lighthouse ${name}: accessibility 100, best practices 95 or more, no layout shift, within its budget of requests, bytes and blocking resources${WANT.performance ? `, performance ${WANT.performance * 100} or more` : ""}`, async () => {
			const r = await lighthouse(base + path, {
				port: chrome.port, output: "json", logLevel: "silent",
				onlyCategories: Object.keys(WANT),
			}, desktop);
			writeFileSync(`${art}/${name}.json`, r.report);
			const lhr = r.lhr;
			assert(!lhr.runtimeError, `runtime error: ${lhr.runtimeError && lhr.runtimeError.message}`);
			const bad = [];
			const got = [];
			for (const [cat, min] of Object.entries(WANT)) {
				const c = lhr.categories[cat];
				got.push(`${cat} ${Math.round(c.score * 100)}`);
				if (c.score === null || c.score < min) {
					bad.push(`${cat}: ${c.score}`);
					for (const ref of c.auditRefs) {
						const a = lhr.audits[ref.id];
						if (ref.weight > 0 && a.score !== null && a.score < 1)
							bad.push(`  ${a.id} (${a.score}): ${a.title} ${a.displayValue || ""}`);
					}
				}
			}
			const cls = lhr.audits["cumulative-layout-shift"].numericValue;
			if (!(cls <= 0.1))
				bad.push(`cumulative layout shift ${cls}`);
			const w = weight(lhr);
			for (const [k, max] of Object.entries(BUDGET[name]))
				if (!(w[k] <= max))
					bad.push(`${k} ${w[k]} > ${max}`);
			console.log(`# lighthouse ${name} weight: ${Object.entries(w).map(([k, v]) => `${k} ${v}`).join(", ")}`);
			const m = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index"]
			    .map((k) => `${k} ${lhr.audits[k].displayValue}`);
			console.log(`# lighthouse ${name}: ${got.join(", ")}; CLS ${cls.toFixed(3)}, ${m.join(", ")}`);
			assert(bad.length === 0, bad.join("\n"));
		}, 120000);
	}
} finally {
	await chrome.kill();
}
process.exitCode = finish();
