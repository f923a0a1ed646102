/* index.js: makes the embed snippets' addresses absolute and adds a copy button. */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
	var ja = document.documentElement.lang === "ja";

	Array.prototype.forEach.call(document.querySelectorAll("textarea.embed-code"), function (t) {
		var b;

		/* The server does not know its own public address; this page does. */
		t.value = t.value.replace(/src="([^"]*)"/, function (m, u) {
			return 'src="' + new URL(u, window.location.href).href + '"';
		});
		t.addEventListener("focus", function () { t.select(); });
		if (!navigator.clipboard)
			return;
		b = document.createElement("button");
		b.type = "button";
		b.className = "copy";
		b.textContent = ja ? "コピー" : "Copy";
		b.addEventListener("click", function () {
			navigator.clipboard.writeText(t.value).then(function () {
				b.textContent = ja ? "コピーしました" : "Copied";
			}, function () {
				t.select();
			});
		});
		t.parentNode.appendChild(b);
	});
});
