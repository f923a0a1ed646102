// tap.mjs: the TAP output of the browser tests: numbered checks, each with a time limit.

// The checks' count (from TAP_START) and failures.
export const tap = { n: Number(process.env.TAP_START || 0), failed: 0 };

export function report(pass, desc, diag) {
	tap.n++;
	console.log(`${pass ? "ok" : "not ok"} ${tap.n} - ${desc}`);
	if (!pass) {
		tap.failed++;
		for (const l of String(diag).split("\n").slice(0, 16))
			console.log(`#   ${l}`);
	}
}

// Runs one check; it fails by throwing. A check never takes more than limit ms
// (45 s by default: printing a PDF takes 20 s on a busy machine).
export async function test(desc, fn, limit = 45000) {
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

// Ends the output: the plan line and the exit status.
export function done() {
	console.log(`1..${tap.n}`);
	process.exitCode = tap.failed > 0 ? 1 : 0;
}
