/* code.js: a page's code blocks: highlighted by highlight.js (Debian's libjs-highlight.js) when it is loaded, lines numbered and marked on request; the code reads as it is without it. */
"use strict";
(function () {
	// The line numbers that "2,4-6" names.
	function lineSet(spec) {
		const set = new Set();
		for (const part of (spec || "").split(",")) {
			const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
			if (!m)
				continue;
			const a = Number(m[1]), b = m[2] ? Number(m[2]) : a;
			for (let i = a; i <= b && i - a < 10000; i++)
				set.add(i);
		}
		return set;
	}

	// Splits highlighted HTML (text and spans) into lines: the spans that a
	// line break crosses are closed at its end and opened again on the next.
	function splitLines(html) {
		const lines = [], open = [];
		let cur = "";
		for (const m of html.matchAll(/(<span[^>]*>)|(<\/span>)|(\n)|([^<\n]+)/g)) {
			if (m[1]) {
				open.push(m[1]);
				cur += m[1];
			} else if (m[2]) {
				open.pop();
				cur += m[2];
			} else if (m[3]) {
				lines.push(cur + "</span>".repeat(open.length));
				cur = open.join("");
			} else
				cur += m[4];
		}
		lines.push(cur);
		// The newline that ends the last line starts no line of its own.
		if (lines.length > 1 && lines[lines.length - 1].replace(/<[^>]*>/g, "") === "")
			lines.pop();
		return lines;
	}

	// Returns an attribute of the code element, else of its pre; null if neither has it.
	function attr(code, pre, name) {
		return code.hasAttribute(name) ? code.getAttribute(name) :
		    pre.hasAttribute(name) ? pre.getAttribute(name) : null;
	}

	// Numbers and marks the lines of one block, as its attributes ask.
	function decorate(code, pre) {
		const numbers = attr(code, pre, "data-line-numbers");
		const marks = attr(code, pre, "data-mark-lines");
		if (numbers === null && marks === null)
			return;
		const first = /^\d+$/.test((numbers || "").trim()) ? Number(numbers) : 1;
		const marked = lineSet(marks);
		code.innerHTML = splitLines(code.innerHTML).map((line, i) => {
			const n = first + i, tag = marked.has(n) ? "mark" : "span";
			return `<${tag} class="code-line" data-n="${n}">${line}\n</${tag}>`;
		}).join("");
		if (numbers !== null)
			pre.classList.add("numbered");
	}

	const hl = window.hljs && (window.hljs.highlightElement || window.hljs.highlightBlock);
	for (const code of document.querySelectorAll("pre > code")) {
		if (hl && /(^|\s)lang(uage)?-/.test(code.className))
			hl.call(window.hljs, code);
		decorate(code, code.parentNode);
	}
})();
