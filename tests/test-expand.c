/* test-expand.c: unit tests for #define substitution and macro expansion. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expand.h"
#include "tap.h"
#include "util.h"

#define GLS_TEMPLATE	"JavaScript:parent.display.openglossary(\"$1.html\")"
/* メール in UTF-8 and percent-encoded. */
#define MEERU		"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab"
#define MEERU_PCT	"%25E3%2583%25A1%25E3%2583%25BC%25E3%2583%25AB"

/* The events of one expand_line call. */
struct events {
	size_t			 n;
	enum expand_event	 ev[8];
	char			*s[8];
	size_t			 col[8];
	size_t			 total;		/* including those not kept */
	size_t			 nunterminated;
	size_t			 nbad;
};

static void
record(void *arg, enum expand_event ev, const char *s, size_t len, size_t col)
{
	struct events	*e = arg;

	e->total++;
	if (ev == EXPAND_UNTERMINATED)
		e->nunterminated++;
	if (ev == EXPAND_BAD_TERM)
		e->nbad++;
	if (e->n == 8)
		return;
	e->ev[e->n] = ev;
	e->s[e->n] = xstrndup(s, len);
	e->col[e->n] = col;
	e->n++;
}

static void
events_clear(struct events *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		free(e->s[i]);
	memset(e, 0, sizeof *e);
}

static struct buf	 out = BUF_INIT;
static struct events	 evs;

/* Adds a definition given as two C strings. */
static void
def(struct expand *e, const char *from, const char *to)
{
	expand_define(e, from, strlen(from), to, strlen(to));
}

/* Expands a line into a fresh output with no effective limit; returns the text. */
static const char *
run(struct expand *e, const char *line)
{
	int	 rc;

	buf_reset(&out);
	events_clear(&evs);
	rc = expand_line(e, line, strlen(line), &out, (size_t)1 << 30, record, &evs);
	if (rc != 0)
		return "(failed)";
	return out.data == NULL ? "" : out.data;
}

static void
test_plain(void)
{
	struct expand	*e = expand_create();

	def(e, "==>", "&rarr;");
	is_str(run(e, "a ==> b ==>"), "a &rarr; b &rarr;", "plain define: every FROM replaced by TO");
	is_str(run(e, "a => b"), "a => b", "plain define: partial FROM is not replaced");
	is_int(expand_count(e), 1, "expand_count: one entry after one define");
	def(e, "gone", "");
	is_str(run(e, "begonedone"), "bedone", "define to empty: FROM is deleted");
	def(e, "<", "<");
	is_str(run(e, "<a href='x'>"), "<a href='x'>", "define < <: a no-op");
	def(e, ">", ">");
	def(e, "GLS()", GLS_TEMPLATE);
	is_str(run(e, "<a href='GLS(ppp)'>PPP</a>"),
	    "<a href='JavaScript:parent.display.openglossary(\"ppp.html\")'>PPP</a>",
	    "seed definitions (< <, > >, GLS): a link expands as in the seed");
	expand_define(e, "", 0, "x", 1);
	is_int(expand_count(e), 5, "expand_define: an empty FROM is ignored");
	is_str(run(e, "abc"), "abc", "expand_define: an empty FROM matches nothing");
	expand_free(e);
}

static void
test_longest_match(void)
{
	static const char *const orders[3][3][2] = {
		{ { "A", "B" }, { "AA", "x" }, { "B", "C" } },
		{ { "AA", "x" }, { "A", "B" }, { "B", "C" } },
		{ { "B", "C" }, { "A", "B" }, { "AA", "x" } },
	};
	struct expand	*e;
	size_t		 i, j;

	for (i = 0; i < 3; i++) {
		e = expand_create();
		for (j = 0; j < 3; j++)
			def(e, orders[i][j][0], orders[i][j][1]);
		is_str(run(e, "AAAB"), "xBC",
		    "longest match wins and output is not rescanned (definition order %zu)", i);
		expand_free(e);
	}
	e = expand_create();
	def(e, "ab", "1");
	def(e, "abcd", "2");
	def(e, "abc", "3");
	is_str(run(e, "abcdabcab"), "231", "longest of three overlapping FROMs wins at each position");
	is_str(run(e, "aabc"), "a3", "a match may start after an unmatched byte of the same first letter");
	expand_free(e);
}

/* A FROM is found at every offset of lines of every length up to 20. */
static void
test_every_offset(void)
{
	struct expand	*e = expand_create();
	char		 line[32], want[64];
	size_t		 len, at, bad1 = 0, bad2 = 0;

	def(e, "X", "<x>");
	def(e, "YZ", "[yz]");
	for (len = 1; len <= 20; len++) {
		for (at = 0; at < len; at++) {
			memset(line, 'a', len);
			line[len] = '\0';
			line[at] = 'X';
			snprintf(want, sizeof want, "%.*s<x>%s", (int)at, line, line + at + 1);
			if (strcmp(run(e, line), want) != 0)
				bad1++;
			if (at + 1 >= len)
				continue;
			memset(line, 'a', len);
			line[at] = 'Y';
			line[at + 1] = 'Z';
			snprintf(want, sizeof want, "%.*s[yz]%s", (int)at, line, line + at + 2);
			if (strcmp(run(e, line), want) != 0)
				bad2++;
		}
	}
	is_int(bad1, 0, "one-byte FROM: replaced at every offset, including the last byte");
	is_int(bad2, 0, "two-byte FROM: replaced at every offset, including the end");
	is_str(run(e, "aaaaaaaaaaaaaaaaY"), "aaaaaaaaaaaaaaaaY", "two-byte FROM: a lone first byte at the end is kept");
	expand_free(e);

	e = expand_create();
	def(e, "\xe3\x83\xa1", "M");
	is_str(run(e, MEERU "a" MEERU), "M\xe3\x83\xbc\xe3\x83\xab" "aM\xe3\x83\xbc\xe3\x83\xab",
	    "UTF-8 FROM: replaced, other characters with the same lead byte kept");
	expand_free(e);
}

/* A FROM that maps to itself still takes part in the longest match. */
static void
test_identity_entries(void)
{
	struct expand	*e = expand_create();

	def(e, "aa", "aa");
	def(e, "a", "b");
	is_str(run(e, "aaa"), "aab", "identity entry: longest match consumes its text (aa, then a)");
	expand_free(e);
	e = expand_create();
	def(e, "<", "<");
	def(e, "<b", "B");
	is_str(run(e, "<<b<"), "<B<", "identity entry: a longer FROM after it still matches");
	buf_reset(&out);
	ok(expand_line(e, "<<<<", 4, &out, 3, NULL, NULL) == -1 && out.len <= 3,
	    "identity entry: its text counts toward the limit");
	expand_free(e);
}

static void
test_redefine(void)
{
	struct expand	*e = expand_create();

	def(e, "X", "first");
	is_str(run(e, "X"), "first", "redefine: first definition used before it is replaced");
	def(e, "X", "second");
	is_str(run(e, "X"), "second", "redefine: later define of the same FROM replaces the earlier");
	is_int(expand_count(e), 1, "redefine: replacing does not add an entry");
	def(e, "M()", "<$1>");
	def(e, "M()", "[$1]");
	is_str(run(e, "M(a)"), "[a]", "redefine: later macro of the same name replaces the earlier");
	is_int(expand_count(e), 2, "redefine: a macro and a plain entry are separate entries");
	expand_free(e);
}

static void
test_macro(void)
{
	struct expand	*e = expand_create();

	def(e, "M()", "[$1|$1]");
	is_str(run(e, "x M(ab) y"), "x [ab|ab] y", "macro: every $1 replaced by the argument");
	is_str(run(e, "M()"), "[|]", "macro: empty argument");
	is_str(run(e, "M(a(b)c)"), "[a(b|a(b]c)", "macro: argument runs to the first )");
	def(e, "D()", "$2 $$1 $ a$");
	is_str(run(e, "D(z)"), "$2 $z $ a$", "macro: $ followed by anything but 1 is literal");
	def(e, "X", "Y");
	def(e, "P()", "<$1>");
	is_str(run(e, "P(X) X"), "<X> Y", "macro: the argument is inserted without substitution");
	def(e, "Q()", "X M(q)");
	is_str(run(e, "Q(1)"), "X M(q)", "macro: the template is not rescanned");
	is_str(run(e, "P(a\"<b)"), "<a\"<b>", "non-glossary macro: argument inserted as written");
	is_int(evs.total, 0, "non-glossary macro: no term events");
	expand_free(e);

	e = expand_create();
	def(e, "GLS", "plain");
	def(e, "GLS()", "[$1]");
	is_str(run(e, "GLS(x) GLS y"), "[x] plain y", "macro NAME( preferred over a plain define of NAME");
	expand_free(e);
	e = expand_create();
	def(e, "GLS()", "[$1]");
	def(e, "GLS", "plain");
	is_str(run(e, "GLS(x) GLS y"), "[x] plain y", "macro preferred over plain define in either definition order");
	expand_free(e);
}

static void
test_unterminated(void)
{
	struct expand	*e = expand_create();

	def(e, "M()", "[$1]");
	def(e, "X", "Y");
	is_str(run(e, "ab M(X"), "ab M(Y", "unterminated call: left as written, scanning goes on after (");
	is_int(evs.n, 1, "unterminated call: reported once");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_UNTERMINATED, "unterminated call: reported as EXPAND_UNTERMINATED");
	is_str(evs.n == 1 ? evs.s[0] : NULL, "M", "unterminated call: report names the macro");
	is_int(evs.n == 1 ? evs.col[0] : 0, 4, "unterminated call: report gives its 1-based column");
	is_str(run(e, "M(M(a)"), "[M(a]", "call closed later on the line: argument runs to that )");
	is_int(evs.nunterminated, 0, "call closed later on the line: not unterminated");
	is_str(run(e, "M(a) M(M(b"), "[a] M(M(b", "two unterminated calls in a row: both left as written");
	ok(evs.n == 2 && evs.col[0] == 6 && evs.col[1] == 8,
	    "two unterminated calls in a row: each reported with its column");
	is_str(run(e, "M(a) M(b"), "[a] M(b", "unterminated call after a complete one: only the last is left");
	ok(evs.n == 1 && evs.col[0] == 6, "unterminated call after a complete one: column 6");
	expand_free(e);
}

static void
test_glossary(void)
{
	struct expand	*e = expand_create();

	def(e, "GLS()", GLS_TEMPLATE);
	is_str(run(e, "<a href='GLS(ppp)'>"),
	    "<a href='JavaScript:parent.display.openglossary(\"ppp.html\")'>",
	    "GLS: expands to the openglossary call");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_TERM, "GLS: valid term reported as EXPAND_TERM");
	is_str(evs.n == 1 ? evs.s[0] : NULL, "ppp", "GLS: report carries the term");
	is_int(evs.n == 1 ? evs.col[0] : 0, 14, "GLS: report gives the term's column");

	is_str(run(e, "GLS(a.b_c-D9)"), "JavaScript:parent.display.openglossary(\"a.b_c-D9.html\")",
	    "GLS: letters, digits, . _ - kept as they are");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_TERM, "GLS: term with . _ - is valid");

	run(e, "GLS(a\"b<c d/e)");
	is_str(out.data, "JavaScript:parent.display.openglossary(\"a%2522b%253Cc%2520d%252Fe.html\")",
	    "GLS: quote, <, space and / in a term are percent-encoded, twice in a javascript: URL");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM, "GLS: term with quote, <, space, / is EXPAND_BAD_TERM");
	ok(strchr(out.data, '<') == NULL, "GLS: no < from the argument reaches the output");
	ok(strchr(out.data, '"') == strstr(out.data, "(\"") + 1 &&
	    strchr(strchr(out.data, '"') + 1, '"') == strstr(out.data, ".html\"") + 5,
	    "GLS: no \" from the argument reaches the output");
	run(e, "GLS(')");
	is_str(out.data, "JavaScript:parent.display.openglossary(\"%2527.html\")", "GLS: single quote percent-encoded (twice)");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM, "GLS: single quote is a bad term");
	run(e, "GLS(a~b)");
	is_str(out.data, "JavaScript:parent.display.openglossary(\"a%257Eb.html\")",
	    "GLS: ~ (outside the term set) is percent-encoded");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM, "GLS: ~ makes a bad term");

	run(e, "GLS(" MEERU ")");
	is_str(out.data, "JavaScript:parent.display.openglossary(\"" MEERU_PCT ".html\")",
	    "GLS: non-ASCII term percent-encoded");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_TERM, "GLS: non-ASCII term is valid");
	is_str(evs.n == 1 ? evs.s[0] : NULL, MEERU, "GLS: non-ASCII term reported as written");

	run(e, "GLS()");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM, "GLS: empty term is invalid");
	is_str(out.data, "JavaScript:parent.display.openglossary(\".html\")", "GLS: empty term still expanded");
	run(e, "GLS(.hidden)");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM, "GLS: term starting with . is invalid");
	run(e, "GLS(../x)");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM, "GLS: term ../x is invalid");
	is_str(out.data, "JavaScript:parent.display.openglossary(\"..%252Fx.html\")", "GLS: ../x cannot form a path");
	run(e, "GLS(a) GLS(b c)");
	ok(evs.n == 2 && evs.ev[0] == EXPAND_TERM && evs.ev[1] == EXPAND_BAD_TERM &&
	    evs.col[1] == 12, "GLS: two calls reported in order with their columns");
	expand_free(e);

	e = expand_create();
	def(e, "G()", "javascript:top.openglossary('$1')");
	run(e, "G(x'y)");
	is_str(out.data, "javascript:top.openglossary('x%2527y')",
	    "macro with openglossary( in its template: argument percent-encoded");
	ok(evs.n == 1 && evs.ev[0] == EXPAND_BAD_TERM,
	    "macro with openglossary( in its template: counts as a glossary macro");
	def(e, "H()", "#\" onclick=\"parent.display.openglossary('$1.html')");
	run(e, "H(x'" MEERU ")");
	is_str(out.data, "#\" onclick=\"parent.display.openglossary('x%27" "%E3%83%A1%E3%83%BC%E3%83%AB" ".html')",
	    "glossary macro outside a javascript: URL: percent-encoded once");
	def(e, "H()", "openglossary $1");
	run(e, "H(x'y)");
	is_str(out.data, "openglossary x'y", "macro with openglossary but no ( is not a glossary macro");
	is_int(evs.n, 0, "non-glossary macro: no term events");
	expand_free(e);

	ok(expand_term_valid("smtp", 4), "expand_term_valid: ASCII word");
	ok(expand_term_valid(MEERU, 9), "expand_term_valid: non-ASCII letters");
	ok(expand_term_valid("a.b", 3), "expand_term_valid: dot inside");
	ok(!expand_term_valid("", 0), "expand_term_valid: empty is invalid");
	ok(!expand_term_valid(".a", 2), "expand_term_valid: leading dot is invalid");
	ok(!expand_term_valid("a/b", 3), "expand_term_valid: slash is invalid");
	ok(!expand_term_valid("a\0b", 3), "expand_term_valid: NUL inside the length is invalid");
	ok(expand_term_valid("a/", 1), "expand_term_valid: reads only len bytes");
}

static void
test_limit(void)
{
	struct expand	*e = expand_create();
	char		*line, *to;
	int		 rc;
	size_t		 i;

	to = malloc(1001);
	memset(to, 'y', 1000);
	to[1000] = '\0';
	def(e, "x", to);
	line = malloc(101);
	memset(line, 'x', 100);
	line[100] = '\0';
	buf_reset(&out);
	rc = expand_line(e, line, 100, &out, 50000, NULL, NULL);
	is_int(rc, -1, "limit: expand_line fails when the output would pass the limit");
	ok(out.len <= 50000, "limit: output is not grown past the limit (%zu)", out.len);
	buf_reset(&out);
	rc = expand_line(e, line, 100, &out, 100000, NULL, NULL);
	is_int(rc, 0, "limit: output of exactly the limit is allowed");
	is_int(out.len, 100000, "limit: output of exactly the limit is complete");
	buf_reset(&out);
	buf_adds(&out, "z");
	rc = expand_line(e, line, 100, &out, 100000, NULL, NULL);
	is_int(rc, -1, "limit: bytes already in out count toward the limit");
	ok(out.len <= 100000, "limit: with existing bytes, output stays within the limit");
	expand_free(e);

	e = expand_create();
	buf_reset(&out);
	ok(expand_line(e, "abcd", 4, &out, 3, NULL, NULL) == -1 && out.len <= 3,
	    "limit: a plain copy with no defines is limited too");
	buf_reset(&out);
	ok(expand_line(e, "abcd", 4, &out, 4, NULL, NULL) == 0 && out.len == 4,
	    "limit: a plain copy of exactly the limit is allowed");
	def(e, "q", "r");
	buf_reset(&out);
	ok(expand_line(e, "abcd", 4, &out, 3, NULL, NULL) == -1 && out.len <= 3,
	    "limit: unmatched text after definitions is limited too");
	def(e, "GLS()", "<$1>");
	buf_reset(&out);
	rc = expand_line(e, "GLS(abc)", 8, &out, 5, NULL, NULL);
	ok(rc == 0 && out.len == 5, "limit: a glossary call whose output is exactly the limit is allowed");
	buf_reset(&out);
	rc = expand_line(e, "GLS(ab\")", 8, &out, 6, NULL, NULL);
	ok(rc == -1 && out.len <= 6, "limit: percent-encoding counts toward the limit");
	buf_reset(&out);
	rc = expand_line(e, "GLS(ab\")", 8, &out, 7, NULL, NULL);
	is_str(rc == 0 ? out.data : NULL, "<ab%22>", "limit: percent-encoded output that fits is allowed");
	for (i = 0; i < 3; i++) {
		buf_reset(&out);
		ok(expand_line(e, "GLS(abc", 7, &out, 3 + i, NULL, NULL) == -1 && out.len <= 3 + i,
		    "limit: an unterminated call over a limit of %zu fails", 3 + i);
	}
	expand_free(e);
	free(line);
	free(to);
}

static void
test_nested(void)
{
	struct expand	*e = expand_create();
	struct buf	 line = BUF_INIT;
	size_t		 i, n = 100000, want;
	int		 rc;

	def(e, "GLS()", GLS_TEMPLATE);
	for (i = 0; i < n; i++)
		buf_adds(&line, "GLS(");
	buf_addc(&line, 'x');
	for (i = 0; i < n; i++)
		buf_addc(&line, ')');
	buf_reset(&out);
	events_clear(&evs);
	rc = expand_line(e, line.data, line.len, &out, (size_t)1 << 30, record, &evs);
	is_int(rc, 0, "100,000 nested GLS( with their ): expansion succeeds");
	/* The outer call takes all up to the first ')': GLS( becomes GLS%2528. */
	want = strlen(GLS_TEMPLATE) - 2 + (n - 1) * 8 + 1 + (n - 1);
	is_int(out.len, want, "100,000 nested GLS(: output length is one call plus the other )s");
	is_int(evs.total, 1, "100,000 nested GLS(: one call, one event");
	is_int(evs.nbad, 1, "100,000 nested GLS(: the argument is a bad term");
	ok(strchr(out.data, '(') == strstr(out.data, "openglossary(") + 12 &&
	    strchr(out.data + 60, '(') == NULL, "100,000 nested GLS(: no raw ( from the argument");

	buf_reset(&line);
	for (i = 0; i < n; i++)
		buf_adds(&line, "GLS(");
	buf_reset(&out);
	events_clear(&evs);
	rc = expand_line(e, line.data, line.len, &out, (size_t)1 << 30, record, &evs);
	is_int(rc, 0, "100,000 GLS( without ): expansion succeeds");
	ok(out.len == line.len && memcmp(out.data, line.data, line.len) == 0,
	    "100,000 GLS( without ): line left as written");
	is_int(evs.nunterminated, n, "100,000 GLS( without ): every call reported as unterminated");
	ok(evs.n > 1 && evs.col[1] == 5, "100,000 GLS( without ): second report at column 5");
	buf_free(&line);
	expand_free(e);
}

static void
test_identity(void)
{
	struct expand	*e = expand_create();
	static const char line[] = "a\0b<c>\"d\xe3\x83\xa1 $1 GLS(x)";
	int		 rc;

	buf_reset(&out);
	rc = expand_line(e, line, sizeof line - 1, &out, 1000, record, &evs);
	ok(rc == 0 && out.len == sizeof line - 1 && memcmp(out.data, line, out.len) == 0,
	    "no defines: the line is copied identically, NUL bytes included");
	def(e, "zz", "w");
	buf_reset(&out);
	rc = expand_line(e, line, sizeof line - 1, &out, 1000, record, &evs);
	ok(rc == 0 && out.len == sizeof line - 1 && memcmp(out.data, line, out.len) == 0,
	    "defines that never match: the line is copied identically");
	buf_reset(&out);
	buf_adds(&out, "pre:");
	rc = expand_line(e, "zz", 2, &out, 1000, NULL, NULL);
	is_str(rc == 0 ? out.data : NULL, "pre:w", "expand_line appends to what out holds");
	buf_reset(&out);
	rc = expand_line(e, "", 0, &out, 0, NULL, NULL);
	ok(rc == 0 && out.len == 0, "empty line expands to nothing, even with limit 0");
	expand_free(e);
}

/*
 * The rule of drf(5) written the plain way, as the oracle of the tests
 * below: at each position the longest plain FROM (of n) that matches wins,
 * and scanning goes on after it; no macros.
 */
static void
naive(const char *const *from, const char *const *to, size_t n,
    const char *line, struct buf *b)
{
	size_t	 i = 0, k, best, bestlen, len = strlen(line), fl;

	while (i < len) {
		best = n;
		bestlen = 0;
		for (k = 0; k < n; k++) {
			fl = strlen(from[k]);
			if (fl > bestlen && fl <= len - i &&
			    memcmp(line + i, from[k], fl) == 0) {
				best = k;
				bestlen = fl;
			}
		}
		if (best == n) {
			buf_addc(b, line[i++]);
			continue;
		}
		buf_adds(b, to[best]);
		i += bestlen;
	}
}

/* Returns a string of n copies of unit followed by tail; caller frees. */
static char *
repeat(const char *unit, size_t n, const char *tail)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < n; i++)
		buf_adds(&b, unit);
	buf_adds(&b, tail);
	return buf_detach(&b, NULL);
}

/* Many FROMs sharing their prefixes: ab, abab, ..., and some that branch off. */
static void
test_shared_prefixes(void)
{
	enum { N = 60 };
	struct expand	*e = expand_create();
	char		*from[2 * N], *to[2 * N], *line;
	struct buf	 want = BUF_INIT;
	size_t		 k;

	for (k = 0; k < N; k++) {
		from[k] = repeat("ab", k + 1, "");
		to[k] = xasprintf("<%zu>", k + 1);
		/* (ab)^k then c or d: branches off the chain at every step. */
		from[N + k] = repeat("ab", k + 1, k % 2 ? "c" : "d");
		to[N + k] = xasprintf("[%zu]", k + 1);
	}
	for (k = 0; k < 2 * N; k++)
		def(e, from[k], to[k]);
	is_str(run(e, "abababx"), "<3>x", "shared prefixes: the longest of many wins");
	is_str(run(e, "ababcab"), "[2]<1>", "shared prefixes: a longer branch wins over the chain");
	is_str(run(e, "abababac"), "<3>ac", "shared prefixes: no partial match is taken");
	line = repeat("ab", 3 * N + 7, "abc ab ababa");
	naive((const char *const *)from, (const char *const *)to, 2 * N, line, &want);
	is_str(run(e, line), want.data, "shared prefixes: a line longer than every FROM, as the plain rule gives");
	free(line);
	buf_free(&want);
	for (k = 0; k < 2 * N; k++) {
		free(from[k]);
		free(to[k]);
	}
	expand_free(e);
}

/*
 * A long FROM that almost matches everywhere ("aaa...ab") with a short one
 * ("a"): the line is matched as drf(5) says however it is searched.
 */
static void
test_near_misses(void)
{
	const char	*from[3], *to[3] = { "1", "<long>", "2" };
	struct expand	*e = expand_create();
	char		*longfrom, *line, *line2;
	struct buf	 want = BUF_INIT;

	longfrom = repeat("a", 300, "b");
	from[0] = "a";
	from[1] = longfrom;
	from[2] = "ab";
	def(e, from[0], to[0]);
	def(e, from[1], to[1]);
	line = repeat("a", 2000, "");
	line2 = repeat("1", 2000, "");
	is_str(run(e, line), line2, "near misses: each 'a' replaced on its own");
	free(line2);
	free(line);
	def(e, from[2], to[2]);
	line = repeat("a", 1500, "b");
	buf_reset(&want);
	naive(from, to, 3, line, &want);
	is_str(run(e, line), want.data, "near misses: the long FROM at its one place, 'a' before it");
	free(line);
	line = repeat("a", 299, "baab");
	buf_reset(&want);
	naive(from, to, 3, line, &want);
	is_str(run(e, line), want.data, "near misses: one 'a' short of the long FROM");
	free(line);
	/* Replaced after the line above was matched: the new TO is used. */
	def(e, "a", "3");
	line = repeat("a", 2000, "");
	line2 = repeat("3", 2000, "");
	is_str(run(e, line), line2, "near misses: a FROM replaced later gives its new TO");
	free(line2);
	free(line);
	buf_free(&want);
	free(longfrom);
	expand_free(e);
}

/* Defines and lines in turn: each line sees exactly the entries defined before it. */
static void
test_interleaved(void)
{
	enum { N = 3000 };
	struct expand	*e = expand_create();
	char		 from[32], to[32], line[128], want[128];
	size_t		 k, bad = 0;

	for (k = 0; k < N; k++) {
		snprintf(from, sizeof from, "w%zu.", k);
		snprintf(to, sizeof to, "<%zu>", k);
		def(e, from, to);
		/* w0. is defined, wK. just now, wK+1. not yet. */
		snprintf(line, sizeof line, "w0. w%zu. w%zu.", k, k + 1);
		snprintf(want, sizeof want, "<0> <%zu> w%zu.", k, k + 1);
		if (strcmp(run(e, line), want) != 0)
			bad++;
	}
	is_int(bad, 0, "interleaved: %d defines, each line sees the defines before it", N);
	is_int(expand_count(e), N, "interleaved: one entry per distinct FROM");
	expand_free(e);
}

/* A plain FROM "NAME(" and a macro NAME(): the one defined first wins. */
static void
test_plain_macro_same_from(void)
{
	struct expand	*e;
	char		*line, *want;

	e = expand_create();
	def(e, "f(", "P");
	def(e, "f()", "[$1]");
	is_str(run(e, "f(x)"), "Px)", "same FROM: a plain f( defined first wins over the macro f()");
	expand_free(e);
	e = expand_create();
	def(e, "f()", "[$1]");
	def(e, "f(", "P");
	is_str(run(e, "f(x)"), "[x]", "same FROM: a macro f() defined first wins over the plain f(");
	def(e, "f()", "{$1}");
	is_str(run(e, "f(x)"), "{x}", "same FROM: the macro replaced keeps its place before the plain entry");
	is_int(expand_count(e), 2, "same FROM: still two entries");
	/* The same, on a line that the long FROM below makes hard to search. */
	def(e, "f", "1");
	line = repeat("f", 400, "");
	def(e, line, "never");
	free(line);
	line = repeat("f", 399, "(x)");
	want = repeat("1", 398, "{x}");
	is_str(run(e, line), want, "same FROM: the earlier entry wins on a long line too");
	free(want);
	free(line);
	expand_free(e);
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_plain),
	TAP_CASE(test_longest_match),
	TAP_CASE(test_every_offset),
	TAP_CASE(test_identity_entries),
	TAP_CASE(test_redefine),
	TAP_CASE(test_macro),
	TAP_CASE(test_unterminated),
	TAP_CASE(test_glossary),
	TAP_CASE(test_limit),
	TAP_CASE(test_nested),
	TAP_CASE(test_identity),
	TAP_CASE(test_shared_prefixes),
	TAP_CASE(test_near_misses),
	TAP_CASE(test_interleaved),
	TAP_CASE(test_plain_macro_same_from),
};

int
main(void)
{
	return tap_run_cases(cases);
}
