/* fit.js: shrinks a slide's content taller than its canvas, for the slide page and the overview's small slides. */
"use strict";

/*
 * Shrinks the content of canvas (a .canvas element) that is taller than it:
 * pictures first, down to 30 % of the canvas, then everything, down to 60 %
 * (the readable floor). Returns false when even that does not fit.
 */
window.drfslidesFit = function (canvas) {
	var st = canvas.style, pics, tall = 0, lo = 0.6, hi = 1, mid, i;

	/* Returns true if the canvas shows all of its content. */
	function fits() {
		return canvas.scrollHeight <= canvas.clientHeight + 1;
	}

	st.removeProperty("--fit");
	st.removeProperty("--pic");
	if (fits())
		return true;
	pics = canvas.querySelectorAll(".slide-body img, .slide-body video, .slide-body svg");
	for (i = 0; i < pics.length; i++)
		tall = Math.max(tall, pics[i].offsetHeight);
	if (tall > 0) {
		st.setProperty("--pic", Math.max(canvas.clientHeight * 0.3,
		    tall - (canvas.scrollHeight - canvas.clientHeight)) + "px");
		if (fits())
			return true;
	}
	for (i = 0; i < 7; i++) {
		mid = (lo + hi) / 2;
		st.setProperty("--fit", mid);
		if (fits())
			lo = mid;
		else
			hi = mid;
	}
	st.setProperty("--fit", lo);
	return fits();
};
