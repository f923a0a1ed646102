/* test-deck.c: unit tests for the .drf parser: pages, directives, limits, names. */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "deck.h"
#include "glossary.h"
#include "tap.h"
#include "typeset.h"
#include "util.h"

/* メール送信 in UTF-8 and EUC-JP. */
#define MAIL_UTF8	"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe9\x80\x81\xe4\xbf\xa1"
#define MAIL_EUCJP	"\xa5\xe1\xa1\xbc\xa5\xeb\xc1\xf7\xbf\xae"
#define GLS_DEF		"#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")\n"

static char	*cause;

/* Parses len bytes of s as "t.drf"; returns the deck or NULL with cause set. */
static struct deck *
parse_limits(const char *s, size_t len, const struct deck_limits *limits)
{
	struct deck	*d = NULL;
	char		*bytes;

	free(cause);
	cause = NULL;
	bytes = xmalloc(len + 1);
	memcpy(bytes, s, len);
	bytes[len] = '\0';
	if (deck_parse(&d, "t.drf", bytes, len, limits, &cause) != 0)
		return NULL;
	return d;
}

static struct deck *
parses_limits(const char *s, const struct deck_limits *limits)
{
	return parse_limits(s, strlen(s), limits);
}

static struct deck *
parsen(const char *s, size_t len)
{
	struct deck	*d = parse_limits(s, len, NULL);

	if (d == NULL)
		printf("# unexpected failure: %s\n", cause);
	return d;
}

static struct deck *
parse(const char *s)
{
	return parsen(s, strlen(s));
}

/* Returns a page's body, or NULL if the page does not exist. */
static const char *
body(const struct deck *d, size_t n)
{
	if (d == NULL || n >= d->npages)
		return NULL;
	return d->pages[n].body;
}

/* The part of a parsed deck a check reads. */
enum part {
	PART_TITLE,
	PART_NOTES,
	PART_LANG,
	PART_PAGE0,
	PART_PAGE1,
	PART_TITLE1
};

/* A deck's source, the part read, and what it must be. */
struct part_case {
	const char	*src;
	enum part	 part;
	const char	*want;
	const char	*desc;
};

/* Parses src and checks one part of the deck against want. */
static void
part_is(const char *src, enum part part, const char *want, const char *desc)
{
	struct deck	*d = parse(src);
	const char	*got = NULL;

	if (d != NULL)
		switch (part) {
		case PART_TITLE:
			got = d->title;
			break;
		case PART_NOTES:
			got = d->notes;
			break;
		case PART_LANG:
			got = d->lang;
			break;
		case PART_PAGE0:
			got = body(d, 0);
			break;
		case PART_PAGE1:
			got = body(d, 1);
			break;
		case PART_TITLE1:
			got = d->npages > 1 ? d->pages[1].title : NULL;
			break;
		}
	is_str(got, want, "%s", desc);
	deck_free(d);
}

/* Returns the first diagnostic's message, or NULL. */
static const char *
diag0(const struct deck *d)
{
	return d == NULL || d->diags.n == 0 ? NULL : d->diags.v[0].msg;
}

static void
test_seed(void)
{
	struct deck	*d = NULL;
	const char	*top;
	char		*path;
	size_t		 i, total;
	int		 leftover = 0;
	static const char *const terms[] = {
		"ppp", "internet", "smtpserver", "smtp", "pop", "popserver"
	};

	top = getenv("top_srcdir");
	path = xasprintf("%s/decks/smtp.drf", top == NULL ? "." : top);
	cause = NULL;
	ok(deck_load(&d, path, NULL, &cause) == 0 && d != NULL, "seed deck: loads");
	if (d == NULL) {
		printf("# %s\n", cause);
		free(path);
		return;
	}
	is_int(d->npages, 13, "seed deck: 13 pages (the '# ----' line is a comment)");
	is_str(d->title, "メール送信のしくみ (SMTP)", "seed deck: title from #title");
	is_str(d->name, "smtp", "seed deck: name from the file name");
	is_str(d->notes, "作成者 : 工学部 喜多敏博 t-kita@eecs.kumamoto-u.ac.jp\n"
	    "題名 : メール送信のしくみ\n"
	    "Time-stamp: <2001-03-06 13:42:06 t-kita>",
	    "seed deck: notes are exactly the three preamble text lines");
	ok(strncmp(body(d, 0), "ここでは,<br>\n", strlen("ここでは,<br>\n")) == 0,
	    "seed deck: page 0 body begins with its first text line (comment dropped)");
	has_str(body(d, 1), "<a href='JavaScript:parent.display.openglossary(\"ppp.html\")'>",
	    "seed deck: GLS(ppp) expanded on page 1");
	for (i = 0; i < d->npages; i++)
		if (strstr(d->pages[i].body, "GLS(") != NULL)
			leftover = 1;
	ok(!leftover, "seed deck: no GLS( call left in any page");
	is_int(d->nterms, 6, "seed deck: six distinct glossary terms");
	for (i = 0; i < 6 && i < d->nterms; i++)
		is_str(d->terms[i].term, terms[i], "seed deck: term %zu is %s (order of first use)", i, terms[i]);
	is_str(d->lang, "ja", "seed deck: lang is ja");
	is_str(d->charset, "UTF-8", "seed deck: read as UTF-8");
	is_int(d->diags.n, 0, "seed deck: no diagnostics");
	is_str(d->pages[0].header, "", "seed deck: empty #header means none");
	is_str(d->pages[12].title, "メール送信のしくみ (SMTP)", "seed deck: last page keeps the title");
	for (i = 0, total = 0; i < d->npages; i++)
		total += d->pages[i].bodylen;
	ok(total > 0 && d->expanded == total, "seed deck: expanded size is the sum of the page bodies");
	deck_free(d);
	free(path);
}

static void
test_text(void)
{
	static const char lf[] = "note\n#title T\n--- L\nx\n\ny\n---\n\nz";
	static const char crlf[] = "note\r\n#title T\r\n--- L\r\nx\r\n\r\ny\r\n---\r\n\r\nz";
	static const char cr[] = "note\r#title T\r--- L\rx\r\ry\r---\r\rz";
	struct deck	*a, *b, *c, *d;
	size_t		 i;
	int		 same;

	d = parse("\xef\xbb\xbf#title T\n---\nx\n");
	is_str(d ? d->title : NULL, "T", "BOM: skipped, so the first line is still a directive");
	is_str(body(d, 0), "x\n", "BOM: body unaffected");
	deck_free(d);

	a = parse(lf);
	b = parse(crlf);
	c = parse(cr);
	ok(a && a->npages == 2, "LF: two pages");
	is_str(body(a, 0), "x\n\ny\n", "LF: page 0 body");
	is_str(body(a, 1), "\nz\n", "LF: last line without terminator still ends in newline");
	for (i = 0; i < 2; i++) {
		d = i == 0 ? b : c;
		same = a && d && a->npages == d->npages &&
		    strcmp(a->pages[0].body, d->pages[0].body) == 0 &&
		    strcmp(a->pages[1].body, d->pages[1].body) == 0 &&
		    strcmp(a->pages[0].label, d->pages[0].label) == 0 &&
		    a->pages[1].line == d->pages[1].line &&
		    strcmp(a->title, d->title) == 0 &&
		    strcmp(a->notes, d->notes) == 0;
		ok(same, "%s line endings: same pages, labels, lines, title and notes as LF",
		    i == 0 ? "CRLF" : "lone CR");
	}
	deck_free(a);
	deck_free(b);
	deck_free(c);

	d = parse("#title X\r\n#define GLS() [$1]\r\n---\r\nGLS(a\r\n");
	ok(d && d->diags.n == 1 && d->diags.v[0].line == 4,
	    "CRLF: diagnostics name the right line");
	deck_free(d);
}

static void
test_pages(void)
{
	struct deck	*d;

	d = parse("just notes\n#title\n");
	ok(d != NULL && d->npages == 0, "no separator: zero pages, not an error");
	is_str(d ? d->title : NULL, "t", "no separator and no title: title falls back to the file name");
	is_str(d ? d->notes : NULL, "just notes", "no separator: everything is notes");
	deck_free(d);
	part_is("#title Only\nnotes\n", PART_TITLE, "Only",
	    "no separator: title in force at the end of the file");
	d = parse("");
	ok(d != NULL && d->npages == 0 && strcmp(d->notes, "") == 0, "empty file: zero pages, empty notes");
	deck_free(d);

	d = parse("---\n---\nx\n---\n");
	is_int(d ? d->npages : 0, 3, "empty pages: two separators in a row and a trailing one give 3 pages");
	is_str(body(d, 0), "", "empty pages: page between two separators is empty");
	ok(d && d->pages[0].bodylen == 0, "empty pages: empty body has length 0");
	is_str(body(d, 1), "x\n", "empty pages: text page between empty ones");
	is_str(body(d, 2), "", "empty pages: trailing separator gives an empty last page");
	ok(d && d->pages[0].line == 1 && d->pages[1].line == 2 && d->pages[2].line == 4,
	    "pages record their separator's line");
	deck_free(d);

	d = parse("---  はじめに  \n----\n--- a - b\t\n-------Intro\n--\n ---\n---\t\n");
	is_int(d ? d->npages : 0, 5, "separators: three or more dashes; -- and ' ---' are text");
	is_str(d ? d->pages[0].label : NULL, "はじめに", "label: text after dashes, trimmed");
	is_str(d ? d->pages[1].label : NULL, "", "label: ---- alone gives an empty label");
	is_str(d ? d->pages[2].label : NULL, "a - b", "label: inner blanks and dashes kept, tab trimmed");
	is_str(d && d->npages > 3 ? d->pages[3].label : NULL, "Intro", "label: may follow the dashes directly");
	is_str(body(d, 3), "--\n ---\n", "separators: -- and a blank-led --- are page text");
	is_str(d && d->npages > 4 ? d->pages[4].label : NULL, "", "label: only blanks gives empty");
	deck_free(d);
}

static void
test_comments(void)
{
	struct deck	*d;

	d = parse("## note\n#\n# ----\n---\n## x\n# ----\n#\na\n# title X\n#title\tY\n");
	is_int(d ? d->npages : 0, 1, "comments: '# ----' is not a separator");
	is_str(body(d, 0), "a\n", "comments: ##, # ----, # alone and '# title' are not page text");
	is_str(d ? d->notes : NULL, "", "comments: not notes either");
	is_str(d ? d->title : NULL, "t", "comments: '# title X' is not a directive; #title in page 0 does not set the deck title");
	deck_free(d);

	d = parse("---\na\n#title T2\n#header H\n#footer F\n#define Q R\n#charset EUC-JP\nQ\n");
	is_str(body(d, 0), "a\nR\n", "directives inside a page: recognised and removed from the body");
	is_str(d ? d->charset : NULL, "UTF-8", "#charset after the first separator: ignored");
	deck_free(d);

	d = parse("#titles Nope\n---\nx\n");
	is_str(d ? d->title : NULL, "t", "#titles: not a directive");
	is_str(d ? d->notes : NULL, "", "#titles: a comment, not notes");
	deck_free(d);
	d = parse("#Title Nope\n---\n");
	is_str(d ? d->title : NULL, "t", "#Title: not a directive (lower case only)");
	ok(d && d->diags.n == 1 && d->diags.v[0].level == DIAG_WARNING,
	    "#Title: draws a misspelling warning");
	deck_free(d);

	d = parse("notes\n#tilte Foo\n---\n#defin X Y\nX\n# this is a comment\n#nothing\n");
	is_str(d ? d->title : NULL, "t", "#tilte: does not set the title");
	is_str(body(d, 0), "X\n", "#defin: defines nothing");
	is_int(d ? d->diags.n : 0, 2, "misspelt directives: one warning each, plain comments none");
	ok(d && d->diags.n >= 1 && d->diags.v[0].level == DIAG_WARNING && d->diags.v[0].line == 2,
	    "#tilte: warning names line 2");
	has_str(diag0(d), "tilte", "#tilte: warning names the word");
	has_str(diag0(d), "#title", "#tilte: warning suggests #title");
	ok(d && d->diags.n >= 2 && d->diags.v[1].line == 4, "#defin: warning names line 4");
	has_str(d && d->diags.n >= 2 ? d->diags.v[1].msg : NULL, "#define", "#defin: warning suggests #define");
	is_int(d ? d->diags.nwarnings : 0, 2, "misspelt directives: counted as warnings");
	deck_free(d);
}

static void
test_directives(void)
{
#define REDEFINED	"#define a b\nabc\n---\nQ\n#define Q R\nQ\n---\nQ a\n"
	static const struct part_case rows[] = {
		{ "#title A\n#title B\n---\n", PART_TITLE, "B",
		    "deck title: a later #title in the preamble wins" },
		{ "---\n#title B\n---\n", PART_TITLE, "t",
		    "deck title: no title at page 0 falls back to the name" },
		{ "---\n#title B\n---\n", PART_TITLE1, "B", "page 1: title set inside page 0" },
		{ "#title   <b>&  \n---\n", PART_TITLE, "<b>&",
		    "#title: text trimmed and kept as plain text" },
		{ REDEFINED, PART_NOTES, "abc", "#define: notes are not substituted" },
		{ REDEFINED, PART_PAGE0, "Q\nR\n",
		    "#define inside a page: affects the following lines of that page" },
		{ REDEFINED, PART_PAGE1, "R b\n", "#define: stays in force on later pages" },
		{ "#define  ==>   &rarr;  x  \n---\na ==> b\n", PART_PAGE0, "a &rarr;  x b\n",
		    "#define: TO is the rest of the line, trimmed" },
		{ "#define A B\n#define B C\n#define AA x\n---\nAAAB\n", PART_PAGE0, "xBC\n",
		    "#define: the drf(5) longest-match example" },
		{ "n1\n\nn2\n\n\n---\n", PART_NOTES, "n1\n\nn2",
		    "notes: trailing blank lines dropped, inner kept" },
	};
#undef REDEFINED
	struct deck	*d;
	size_t		 i;

	d = parse("#title T0\n#header H0\n#footer F0\n---\n#title T1\n#footer F1\n#header H1\n"
	    "x\n---\n#title T2\n---\n");
	ok(d && d->npages == 3, "title/header/footer: three pages");
	if (d != NULL && d->npages == 3) {
		ok(!strcmp(d->pages[0].title, "T0") && !strcmp(d->pages[0].header, "H0") &&
		    !strcmp(d->pages[0].footer, "F0"), "page 0: title/header/footer in force at its separator");
		ok(!strcmp(d->pages[1].title, "T1") && !strcmp(d->pages[1].header, "H1") &&
		    !strcmp(d->pages[1].footer, "F1"), "directives inside page 0 first affect page 1");
		is_str(d->pages[2].title, "T2", "a later #title replaces the earlier");
		is_str(d->pages[2].footer, "F1", "footer stays in force until replaced");
	}
	is_str(d ? d->title : NULL, "T0", "deck title: the one in force at page 0");
	is_str(body(d, 0), "x\n", "title/header/footer directives are not page text");
	deck_free(d);

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		part_is(rows[i].src, rows[i].part, rows[i].want, rows[i].desc);

	d = parse("#define DEL\n#define   GONE  \t \n---\naDELbGONEc\n");
	is_str(body(d, 0), "abc\n", "#define FROM alone: FROM deleted");
	is_int(d ? d->diags.n : 1, 0, "#define FROM alone: no diagnostic");
	deck_free(d);

	d = parse("x\n#define\n#define  \t\n---\n");
	is_int(d ? d->diags.nwarnings : 0, 2, "#define with no name: warns");
	ok(d && d->diags.n == 2 && d->diags.v[0].line == 2 && d->diags.v[1].line == 3,
	    "#define with no name: warning names its line");
	deck_free(d);

}

static void
test_macros(void)
{
	struct deck	*d;

	d = parse("#define GLS() <$1>\n---\na\nb GLS(c\n");
	ok(d != NULL, "macro without ): the deck still loads");
	is_str(body(d, 0), "a\nb GLS(c\n", "macro without ): left as written");
	is_int(d ? d->diags.nerrors : 0, 1, "macro without ): an error diagnostic");
	ok(d && d->diags.n == 1 && d->diags.v[0].level == DIAG_ERROR && d->diags.v[0].line == 4,
	    "macro without ): diagnostic names line 4");
	has_str(diag0(d), "column 3", "macro without ): diagnostic names the column");
	deck_free(d);

	d = parse(GLS_DEF "---\nGLS(b) GLS(a)\n---\nGLS(a) GLS(x\"y) GLS(c)\n");
	is_int(d ? d->nterms : 0, 3, "terms: distinct valid terms only");
	if (d != NULL && d->nterms == 3) {
		ok(!strcmp(d->terms[0].term, "b") && !strcmp(d->terms[1].term, "a") &&
		    !strcmp(d->terms[2].term, "c"), "terms: in order of first use");
		ok(d->terms[0].line == 3 && d->terms[1].line == 3 && d->terms[2].line == 5,
		    "terms: line of first use");
	}
	ok(d && d->diags.nerrors == 1 && d->diags.v[0].line == 5, "bad glossary term: error on its line");
	has_str(diag0(d), "x\"y", "bad glossary term: the message shows the term");
	has_str(body(d, 1), "openglossary(\"x%2522y.html\")", "bad glossary term: percent-encoded in the page");
	deck_free(d);

	{
		struct buf	 b = BUF_INIT;
		size_t		 i, bad = 0;

		buf_adds(&b, GLS_DEF "---\n");
		for (i = 0; i < 3000; i++)
			buf_printf(&b, "GLS(t%zu) GLS(t%zu)\n", i, i / 2);
		d = parsen(b.data, b.len);
		is_int(d ? d->nterms : 0, 3000, "many terms: each distinct term recorded once");
		for (i = 0; d != NULL && i < d->nterms && i < 3000; i++) {
			buf_reset(&b);
			buf_printf(&b, "t%zu", i);
			if (strcmp(d->terms[i].term, b.data) != 0 || d->terms[i].line != 3 + i)
				bad++;
		}
		is_int(bad, 0, "many terms: in order of first use, with its line");
		deck_free(d);
		buf_free(&b);
	}

	part_is("no japanese\n" MAIL_UTF8 "\n---\nplain\n", PART_LANG, "en",
	    "lang: en when only the notes hold Japanese");
	part_is("---\nplain\n---\n" "\xe3\x81\x82" "\n", PART_LANG, "ja",
	    "lang: ja when any page holds hiragana");
}

static void
test_encoding(void)
{
	static const char nul[] = "a\n---\nb\0c\n";
	struct deck	*d;

	d = parse_limits(nul, sizeof nul - 1, NULL);
	ok(d == NULL, "NUL byte: the deck fails to load");
	ok(cause && strncmp(cause, "t.drf:3:", 8) == 0, "NUL byte: cause names line 3 (%s)",
	    cause ? cause : "");
	deck_free(d);

	d = parse_limits("a\nb\n\xff\xff\n", 7, NULL);
	ok(d == NULL, "undecodable bytes: the deck fails to load");
	ok(cause && strncmp(cause, "t.drf:3:", 8) == 0, "undecodable bytes: cause names line 3 (%s)",
	    cause ? cause : "");
	deck_free(d);

	d = parse_limits("\xff\xfe#\0t\0", 6, NULL);
	ok(d == NULL && cause && strstr(cause, "UTF-16"), "UTF-16 byte-order mark: an error naming UTF-16");
	deck_free(d);

	d = parse("#title " MAIL_EUCJP "\n" MAIL_EUCJP "\n---\n" MAIL_EUCJP "\n");
	is_str(d ? d->charset : NULL, "EUC-JP", "EUC-JP without #charset: detected");
	is_str(d ? d->title : NULL, MAIL_UTF8, "EUC-JP: title converted to UTF-8");
	is_str(d ? d->notes : NULL, MAIL_UTF8, "EUC-JP: notes converted to UTF-8");
	is_str(body(d, 0), MAIL_UTF8 "\n", "EUC-JP: body converted to UTF-8");
	is_str(d ? d->lang : NULL, "ja", "EUC-JP: lang ja");
	deck_free(d);
}

static void
test_limits(void)
{
	struct deck_limits	 l;
	struct deck		*d;

	deck_limits_default(&l);
	ok(l.max_source == (size_t)64 << 20 && l.max_expanded == (size_t)256 << 20,
	    "default limits: 64 MiB source, 256 MiB expanded");

	l.max_expanded = 100;
	d = parses_limits("#define x yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n---\nok\nxxx\n", &l);
	ok(d == NULL, "max_expanded: a deck over the limit fails");
	has_str(cause, "100", "max_expanded: cause names the limit");
	ok(cause && strncmp(cause, "t.drf:4:", 8) == 0, "max_expanded: cause names the line (%s)",
	    cause ? cause : "");
	deck_free(d);

	l.max_expanded = 10;
	d = parses_limits("---\n123456789\n", &l);
	ok(d != NULL && d->expanded == 10, "max_expanded: bodies of exactly the limit load");
	deck_free(d);
	d = parses_limits("---\n1234567890\n", &l);
	ok(d == NULL && cause && strncmp(cause, "t.drf:2:", 8) == 0,
	    "max_expanded: one byte over fails (the newline counts)");
	deck_free(d);
	d = parses_limits("---\n1234\n---\n1234\n---\nx\n", &l);
	ok(d == NULL && cause && strncmp(cause, "t.drf:6:", 8) == 0,
	    "max_expanded: the limit counts all pages together");
	deck_free(d);
	l.max_expanded = 12;
	d = parses_limits("#define GLS() <$1>\n---\nGLS(a b)GLS(cd)\n", &l);
	ok(d != NULL && d->expanded == 12 && !strcmp(d->pages[0].body, "<a%20b><cd>\n"), "max_expanded: glossary calls that fit exactly load");
	deck_free(d);

	deck_limits_default(&l);
	l.max_source = 10;
	d = parses_limits("---\n1234567", &l);
	ok(d == NULL, "max_source: a file over the limit fails");
	has_str(cause, "10 bytes", "max_source: cause names the limit");
	has_str(cause, "--max-source", "max_source: cause names the option");
	d = parses_limits("---\n123456", &l);
	ok(d != NULL, "max_source: a file of exactly the limit loads");
	deck_free(d);
}

static void
test_big(void)
{
	struct buf	 b = BUF_INIT;
	struct deck	*d;
	size_t		 i;
	char		*want;

	buf_adds(&b, "---\n");
	for (i = 0; i < (1 << 20); i++)
		buf_addc(&b, (char)('a' + i % 26));
	buf_addc(&b, '\n');
	d = parsen(b.data, b.len);
	ok(d && d->npages == 1 && d->pages[0].bodylen == (1 << 20) + 1,
	    "1 MiB line: one page line of 1 MiB");
	ok(d && d->npages == 1 && memcmp(d->pages[0].body, b.data + 4, (1 << 20) + 1) == 0,
	    "1 MiB line: body is the line");
	deck_free(d);

	buf_reset(&b);
	buf_adds(&b, "#define P page\n");
	for (i = 0; i < 100000; i++)
		buf_printf(&b, "--- L%zu\n#title T%zu\nP %zu\n", i, i, i);
	d = parsen(b.data, b.len);
	is_int(d ? d->npages : 0, 100000, "100,000 pages: all loaded");
	is_str(body(d, 99999), "page 99999\n", "100,000 pages: last page's body");
	ok(d && d->npages == 100000 && !strcmp(d->pages[99999].label, "L99999") &&
	    !strcmp(d->pages[99999].title, "T99998") && d->pages[99999].line == 299999,
	    "100,000 pages: last page's label, title and line");
	is_str(d ? d->title : NULL, "t", "100,000 pages: deck title from page 0");
	deck_free(d);

	buf_reset(&b);
	buf_adds(&b, "---\n");
	for (i = 0; i < 1000000; i++)
		buf_addc(&b, '\n');
	buf_adds(&b, "end");
	d = parsen(b.data, b.len);
	ok(d && d->npages == 1 && d->pages[0].bodylen == 1000004,
	    "a million empty lines: one page with every line");
	want = d && d->npages == 1 ? d->pages[0].body + 1000000 : NULL;
	is_str(want, "end\n", "a million empty lines: the text after them is kept");
	deck_free(d);

	buf_reset(&b);
	buf_adds(&b, "note");
	for (i = 0; i < 1000000; i++)
		buf_addc(&b, '\n');
	d = parsen(b.data, b.len);
	ok(d && d->npages == 0 && !strcmp(d->notes, "note"),
	    "a million empty lines in the preamble: dropped from the notes");
	deck_free(d);
	buf_free(&b);
}

static void
test_names(void)
{
	/* A path, the deck name it gives (NULL: none), and why. */
	static const struct {
		const char	*path, *name, *desc;
	} names[] = {
		{ "dir/smtp.drf", "smtp", "directory and .drf stripped" },
		{ "/a/b/x_Y-9.drf", "x_Y-9", "letters, digits, _ and - allowed" },
		{ "dir/.drf", NULL, "empty name is NULL" },
		{ "dir/-x.drf", NULL, "name starting with - is NULL" },
		{ "a b.drf", NULL, "blank in name is NULL" },
		{ "x.y.drf", NULL, "dot in name is NULL" },
		{ MAIL_UTF8 ".drf", NULL, "non-ASCII name is NULL" },
		{ "dir/", NULL, "a directory is NULL" },
	};
	char	 longname[110];
	char	*s;
	size_t	 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		s = deck_name_from_path(names[i].path);
		if (names[i].name != NULL)
			is_str(s, names[i].name, "deck_name_from_path: %s", names[i].desc);
		else
			ok(s == NULL, "deck_name_from_path: %s", names[i].desc);
		free(s);
	}
	memset(longname, 'a', 100);
	strcpy(longname + 100, ".drf");
	s = deck_name_from_path(longname);
	ok(s != NULL && strlen(s) == 100, "deck_name_from_path: 100 characters allowed");
	free(s);
	strcpy(longname + 100, "a.drf");
	s = deck_name_from_path(longname);
	ok(s == NULL, "deck_name_from_path: 101 characters is NULL");
	free(s);
	ok(deck_name_valid("ab", 2) && !deck_name_valid("a/b", 3) && !deck_name_valid("a.", 2),
	    "deck_name_valid: checks every byte");

	s = deck_glossary_dir("decks/smtp.drf");
	is_str(s, "decks/glossary", "deck_glossary_dir: beside the deck");
	free(s);
	s = deck_glossary_dir("smtp.drf");
	is_str(s, "glossary", "deck_glossary_dir: relative deck without a directory");
	free(s);
}

/* Names of decks in course folders: paths, glossary folders, flat names. */
static void
test_course_names(void)
{
	static const struct {
		const char	*path;
		int		 valid;
	} paths[] = {
		{ "smtp", 1 }, { "uni/net/week05-tcp", 1 }, { "a/b/c/d/deck", 1 },
		{ "a/b/c/d/e/deck", 0 }, { "uni//deck", 0 }, { "uni/", 0 }, { "/deck", 0 },
		{ "uni/../deck", 0 }, { "uni/./deck", 0 }, { "glossary/deck", 0 },
		{ "uni/glossary/deck", 0 }, { "uni/-x/deck", 0 }, { "", 0 },
	};
	struct deck	*d;
	char		**v, *s;
	size_t		 i, n;

	for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
		is_int(deck_path_valid(paths[i].path, strlen(paths[i].path)),
		    paths[i].valid, "deck_path_valid: '%s'", paths[i].path);
	ok(!deck_course_name_valid("glossary", 8) && deck_course_name_valid("glossary2", 9),
	    "deck_course_name_valid: only 'glossary' itself is taken");
	v = deck_glossary_dirs("R/uni/net/week05.drf", 2, &n);
	ok(n == 3 && strcmp(v[0], "R/uni/net/glossary") == 0 &&
	    strcmp(v[1], "R/uni/glossary") == 0 && strcmp(v[2], "R/glossary") == 0,
	    "deck_glossary_dirs: the deck's folder first, then each above it to the top");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	v = deck_glossary_dirs("net/week05.drf", 3, &n);
	ok(n == 2 && strcmp(v[0], "net/glossary") == 0 && strcmp(v[1], "glossary") == 0,
	    "deck_glossary_dirs: never above the path's first folder");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	v = deck_glossary_dirs("/decks/smtp.drf", 0, &n);
	ok(n == 1 && strcmp(v[0], "/decks/glossary") == 0,
	    "deck_glossary_dirs: levels 0 is the folder beside the deck");
	free(v[0]);
	free(v);
	s = deck_flat_name("uni/net/week05");
	is_str(s, "uni+net+week05", "deck_flat_name: '/' as '+'");
	free(s);
	if ((d = parse("---\nx\n")) != NULL) {
		deck_set_name(d, "uni/net/t");
		ok(strcmp(d->name, "uni/net/t") == 0 && strcmp(d->base, "t") == 0,
		    "deck_set_name: the path, and its last part as the base");
	} else
		ok(0, "deck_set_name: the path, and its last part as the base");
	deck_free(d);
}

static void
test_glossary(void)
{
	char		 tmpl[] = "/tmp/test-deck.XXXXXX";
	char		*dir, *f, *g;
	struct deck	*d;
	size_t		 n;
	FILE		*fp;

	d = parse(GLS_DEF "---\nGLS(aa)\n---\nGLS(bb) GLS(cc)\n");
	if (d == NULL || mkdtemp(tmpl) == NULL) {
		ok(0, "deck_check_glossary: setup");
		deck_free(d);
		return;
	}
	dir = xasprintf("%s/glossary", tmpl);
	n = glossary_check(d, &dir, 1);
	ok(n == 0 && d->diags.n == 0, "deck_check_glossary: no warnings when the glossary dir is missing");
	mkdir(dir, 0700);
	f = xasprintf("%s/aa.html", dir);
	fp = fopen(f, "w");
	if (fp != NULL)
		fclose(fp);
	g = xasprintf("%s/cc.html", dir);
	mkdir(g, 0700);
	n = glossary_check(d, &dir, 1);
	is_int(n, 2, "deck_check_glossary: counts the missing entries");
	ok(d->diags.n == 2 && d->diags.v[0].level == DIAG_WARNING && d->diags.v[0].line == 5,
	    "deck_check_glossary: warning on the line of first use");
	has_str(diag0(d), "bb", "deck_check_glossary: warning names the missing term");
	has_str(d->diags.n == 2 ? d->diags.v[1].msg : NULL, "cc",
	    "deck_check_glossary: a directory is not an entry");
	rmdir(g);
	unlink(f);
	rmdir(dir);
	rmdir(tmpl);
	free(f);
	free(g);
	free(dir);
	deck_free(d);
}

/*
 * Defines between the lines of a page, many of them: each line is expanded
 * with exactly the defines above it, a later define of the same FROM
 * replaces the earlier from its next line on, and a FROM that extends an
 * earlier one wins where it matches.
 */
static void
test_defines_midpage(void)
{
	struct deck	*d;
	struct buf	 b = BUF_INIT, want = BUF_INIT;
	size_t		 i;

	buf_adds(&b, "#define x0 <0>\n--- one page\n");
	for (i = 1; i <= 2000; i++) {
		buf_printf(&b, "x0 x%zu x%zu\n", i, i - 1);
		buf_printf(&b, "#define x%zu <%zu>\n", i, i);
		if (i % 500 == 0)
			buf_adds(&b, "#define x0 [0]\n");
	}
	buf_adds(&b, "x0 x10 x100 x2001\n");
	for (i = 1; i <= 2000; i++) {
		buf_adds(&want, i > 500 ? "[0] " : "<0> ");
		/* xI is not defined yet on its line: x(I/10) is the longest FROM there. */
		if (i < 10)
			buf_printf(&want, "x%zu", i);
		else
			buf_printf(&want, "<%zu>%zu", i / 10, i % 10);
		buf_printf(&want, " <%zu>\n", i - 1);
	}
	buf_adds(&want, "[0] <10> <100> <200>1\n");
	d = parsen(b.data, b.len);
	is_int(d ? d->npages : 0, 1, "defines mid-page: one page");
	is_str(body(d, 0), want.data, "defines mid-page: each line sees the defines above it");
	deck_free(d);
	buf_free(&want);
	buf_free(&b);
}

/* What each page has for the browser to typeset, and the lines of broken TeX. */
static void
test_typeset(void)
{
	struct deck	*d;

	d = parse("--- code\n<pre><code class=\"language-c\">int x;</code></pre>\n"
	    "--- plain pre, TeX in code\n<pre>\\(a\\)</pre>\n<p><code>\\[b\\]</code></p>\n"
	    "--- maths\n<p>\\(a\\) and</p>\n\\[ \\begin{matrix} a \\\\ b\n\\end{matrix} \\]\n"
	    "--- <CODE CLASS='lang-sh'>\n<pre><code class=\"lang-sh\">ls</code></pre> \\( x \\)\n");
	is_int(d ? d->npages : 0, 4, "typeset: four pages");
	if (d == NULL)
		return;
	is_int(d->pages[0].typeset, TYPESET_CODE, "a language class is code to highlight");
	is_int(d->pages[1].typeset, 0, "a pre without a language, TeX in pre and code: nothing");
	is_int(d->pages[2].typeset, TYPESET_MATH, "inline and displayed TeX, over two lines, with \\\\");
	is_int(d->pages[3].typeset, TYPESET_CODE | TYPESET_MATH, "lang- counts; a label is no page text");
	is_int(d->typeset, TYPESET_CODE | TYPESET_MATH, "the deck has both");
	is_int(d->code_line, 2, "the first code block's line");
	is_int(d->math_line, 7, "the first formula's line");
	is_int(d->diags.n, 0, "no warning for TeX that pairs up");
	deck_free(d);

	d = parse("--- a\n\\( x\n--- b\n\\] y\n\\{ \\( \\[ z \\)\n--- c\n\\( {\\)} \\)\n");
	if (d == NULL)
		return;
	is_int(d->diags.n, 3, "three warnings");
	is_int(d->diags.n > 0 ? d->diags.v[0].line : 0, 2, "an open formula at the end of its page, at its line");
	is_int(d->diags.n > 1 ? d->diags.v[1].line : 0, 4, "a '\\]' that closes nothing");
	is_int(d->diags.n > 2 ? d->diags.v[2].line : 0, 5, "a '\\[' inside '\\('");
	is_int(d->pages[2].typeset, TYPESET_MATH, "a '\\)' inside braces does not end the formula");
	ok(d->diags.n > 2 && d->diags.v[2].level == DIAG_WARNING, "broken TeX is a warning");
	deck_free(d);
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_seed),
	TAP_CASE(test_text),
	TAP_CASE(test_pages),
	TAP_CASE(test_comments),
	TAP_CASE(test_directives),
	TAP_CASE(test_macros),
	TAP_CASE(test_encoding),
	TAP_CASE(test_limits),
	TAP_CASE(test_big),
	TAP_CASE(test_defines_midpage),
	TAP_CASE(test_names),
	TAP_CASE(test_course_names),
	TAP_CASE(test_glossary),
	TAP_CASE(test_typeset),
};

int
main(void)
{
	return tap_run_cases(cases);
}
