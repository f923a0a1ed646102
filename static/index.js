/* index.js: makes the embed snippets' addresses absolute and adds a copy button. */
"use strict";

/* The interface strings come with the script element (data-copy, data-copied). */
var drfIndexText = document.currentScript.dataset;

document.addEventListener("DOMContentLoaded", function () {
	var s = drfIndexText;

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
		b.textContent = s.copy;
		b.addEventListener("click", function () {
			navigator.clipboard.writeText(t.value).then(function () {
				b.textContent = s.copied;
			}, function () {
				t.select();
			});
		});
		t.parentNode.appendChild(b);
	});
});
