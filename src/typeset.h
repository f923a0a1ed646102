/* typeset.h: what of a page the browser typesets: code blocks to highlight, TeX formulas. */
#ifndef DRF_TYPESET_H
#define DRF_TYPESET_H

#include <stddef.h>

#include "diag.h"

/* What a page has, as bits of deck_page.typeset and deck.typeset. */
#define TYPESET_CODE	0x1u	/* a <code class="language-..."> */
#define TYPESET_MATH	0x2u	/* a formula between \( \) or \[ \] */

/*
 * The state of one page's scan, line by line, of the expanded HTML as the
 * browser will see it. Formulas are what KaTeX's auto-render finds: text
 * outside <pre>, <code>, <script>, <style>, <textarea>, <noscript> and
 * <option>, from \( to \) or \[ to \], braces balanced in between. Zero it
 * to start a page.
 */
struct typeset_scan {
	unsigned	 found;		/* TYPESET_* */
	unsigned long	 code_line;	/* first line of each, 0 if none */
	unsigned long	 math_line;
	unsigned	 skip;		/* depth of elements whose text is not TeX */
	char		 open;		/* '(' or '[' in a formula, else 0 */
	unsigned long	 open_line;	/* where the formula began */
	unsigned long	 braces;	/* '{' open in the formula */
	char		 orphan;	/* the closer of a formula a tag cut */
};

/*
 * Scans one line (line is its number in the deck, for diagnostics): adds
 * warnings to diags for a delimiter that closes nothing, opens a formula
 * inside another, or an HTML tag inside a formula (KaTeX sees only text).
 */
void	 typeset_scan_line(struct typeset_scan *, const char *, size_t,
	    unsigned long line, struct diags *);
/* Ends a page: a warning for a formula still open. */
void	 typeset_scan_end(struct typeset_scan *, struct diags *);

#endif
