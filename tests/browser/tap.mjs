// tap.mjs: what a browser test script shares: TAP lines numbered from TAP_START + 1,
// checks that fail by throwing and never hang, and Debian's chromium, headless.
import { chromium } from "playwright-core";

let n = Number(process.env.TAP_START || 0);
let failed = 0;

// Prints one TAP line, and the first lines of what went wrong.
export function report(pass, desc, diag) {
	n++;
	console.log(`${pass ? "ok" : "not ok"} ${n} - ${desc}`);
	if (!pass) {
		failed++;
		for (const l of String(diag).split("\n").slice(0, 16))
			console.log(`#   ${l}`);
	}
}

// Runs one check; it fails by throwing, or after limit ms (a busy machine
// needs far more than an idle one).
export async function test(desc, fn, limit = 120000) {
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

export function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

// Starts the browser: CHROMIUM, or Debian's.
export function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
		    "--disable-sync", "--no-first-run", "--disable-gpu", "--font-render-hinting=none"],
	});
}

// Prints the plan and exits: 0 if every check passed.
export function done() {
	console.log(`1..${n}`);
	process.exit(failed === 0 ? 0 : 1);
}
