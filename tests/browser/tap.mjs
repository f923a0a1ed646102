// tap.mjs: what every browser test script shares: TAP output numbered from
// TAP_START + 1, checks that fail by throwing (each bounded in time), and the
// headless browser (Debian's chromium, CHROMIUM in the environment).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const env = process.env;
let n = Number(env.TAP_START || 0);
let failed = 0;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The folder screenshots go to (ARTIFACTS, or test-artifacts/SUB), made.
export function artifacts(sub) {
	const dir = env.ARTIFACTS || `test-artifacts/${sub}`;
	mkdirSync(dir, { recursive: true });
	return dir;
}

// Reports one check; on failure, up to 16 lines of why.
export function report(pass, desc, diag) {
	n++;
	console.log(`${pass ? "ok" : "not ok"} ${n} - ${desc}`);
	if (!pass) {
		failed++;
		for (const l of String(diag).split("\n").slice(0, 16))
			console.log(`#   ${l}`);
	}
}

// Runs one check; it fails by throwing. A check never takes more than limit ms.
export async function test(desc, fn, limit = 30000) {
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

// Fails the check with msg unless cond holds.
export function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

// Starts the headless browser.
export function launch() {
	return chromium.launch({
		executablePath: env.CHROMIUM || "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
		    "--disable-sync", "--no-first-run", "--disable-gpu", "--font-render-hinting=none"],
	});
}

// Prints the plan ("1..N" of all checks so far) and the exit status: 1 if any failed.
export function finish() {
	console.log(`1..${n}`);
	return failed > 0 ? 1 : 0;
}

// The number of the last check reported, for a script that hands on to another.
export function count() {
	return n;
}
