// tap.mjs: TAP output for the browser tests: numbered checks that fail by throwing, each bounded in time.
let n = Number(process.env.TAP_START || 0);
let failed = 0;

// Prints one result, with its diagnostic when it failed.
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

export function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

// Prints the plan and ends the process: 1 if a check failed.
export function done() {
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
}
