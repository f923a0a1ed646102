/* math.js: TeX between \( \) and \[ \] typeset by KaTeX (Debian's libjs-katex): MathML that screen readers read, HTML that looks like TeX; a formula KaTeX cannot read stays as its TeX, in red. */
"use strict";
(function () {
	if (!window.renderMathInElement)
		return;
	window.renderMathInElement(document.body, {
		delimiters: [
			{ left: "\\[", right: "\\]", display: true },
			{ left: "\\(", right: "\\)", display: false }
		],
		throwOnError: false,
		output: "htmlAndMathml"
	});
})();
