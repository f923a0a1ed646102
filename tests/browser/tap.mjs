// tap.mjs: what the accessibility scripts share: TAP output numbered from
// TAP_START + 1, checks that fail by throwing, and the browser they drive.
import { chromium } from "playwright-core";

let n = Number(process.env.TAP_START || 0);
let failed = 0;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

function report(pass, desc, diag) {
	n++;
	console.log(`${pass ? "ok" : "not ok"} ${n} - ${desc}`);
	if (!pass) {
		failed++;
		for (const l of String(diag).split("\n").slice(0, 40))
			console.log(`#   ${l}`);
	}
}

// Runs one check; it fails by throwing, or by taking more than limit ms.
export async function test(desc, fn, limit = 60000) {
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

// Prints the plan and sets the exit status.
export function finish() {
	console.log(`1..${n}`);
	process.exitCode = failed > 0 ? 1 : 0;
}

// Starts Debian's chromium (CHROMIUM) headless.
export function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
		    "--disable-sync", "--no-first-run", "--disable-gpu", "--font-render-hinting=none"],
	});
}
