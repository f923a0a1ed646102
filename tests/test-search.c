/* test-search.c: unit tests for the search index: plain text, folding, n-grams, verification. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deck.h"
#include "fixture.h"
#include "search.h"
#include "search_text.h"
#include "tap.h"

static struct buf	 out = BUF_INIT;

/* The plain text of an HTML fragment. */
static const char *
plain(const char *html)
{
	buf_reset(&out);
	search_text_plain(&out, html, strlen(html));
	buf_addc(&out, '\0');
	return out.data;
}

static void
test_plain(void)
{
	is_str(plain("<h1>How mail</h1>\n<p>is   sent</p>"), "How mail is sent",
	    "a block's tag separates words; white space collapses");
	is_str(plain("<p>\xe3\x83\xa1\xe3\x83\xbc<b>\xe3\x83\xab</b>\xe9\x80\x81\xe4\xbf\xa1</p>"),
	    "\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe9\x80\x81\xe4\xbf\xa1",
	    "an inline tag inside a Japanese word keeps it whole");
	is_str(plain("a &lt;script&gt; &amp; &#x41;&#66; &nbsp;b &bogus; c"),
	    "a <script> & AB b &bogus; c", "character references are decoded; an unknown one is kept");
	is_str(plain("x<script>var hidden = 1;</script>y<style>p{}</style>z<!-- note -->w"),
	    "x y zw", "script, style and comments are not text (an element, a space)");
	is_str(plain("<a href='x>y' title=\"a>b\">link</a>"), "link",
	    "a '>' inside a quoted attribute does not end the tag");
	is_str(plain("bad \xff byte"), "bad \xef\xbf\xbd byte",
	    "an invalid byte is U+FFFD");
}

static void
test_fold(void)
{
	struct search_query_cp	 q;
	size_t			 off, mlen;
	const char		*t = "The \xc3\x89t\xc3\xa9 of SMTP \xef\xbc\xb3\xef\xbc\xad\xef\xbc\xb4\xef\xbc\xb0";

	is_int(search_text_fold('Q'), 'q', "ASCII capitals fold");
	is_int(search_text_fold(0xc9), 0xe9, "Latin-1 capitals fold");
	is_int(search_text_fold(0xff33), 's', "full-width letters fold to ASCII");
	is_int(search_text_fold(0x30e1), 0x30e1, "kana are themselves");
	ok(search_text_query(&q, "  smtp \t ", 9) == 0 && q.n == 4,
	    "a query is trimmed");
	ok(search_text_find(t, strlen(t), 0, &q, &off, &mlen) && off == 13 &&
	    mlen == 4, "found case-insensitively, at its byte offset");
	ok(search_text_find(t, strlen(t), off + 1, &q, &off, &mlen) &&
	    mlen == 12, "... and in full-width letters, 12 bytes long");
	search_text_query(&q, "\xc3\xa9t\xc3\xa9", 5);
	ok(search_text_find(t, strlen(t), 0, &q, &off, &mlen) && off == 4,
	    "an accented capital matches its small letter");
	search_text_query(&q, "of  the", 7);
	ok(!search_text_find(t, strlen(t), 0, &q, &off, &mlen),
	    "not found when the words are not in that order");
}

/* Loads a deck from text into the fixture. */
static struct deck *
load(struct fixture *fx, const char *name, const char *text)
{
	struct deck	*d = NULL;
	char		*path, *file, *cause = NULL;

	file = xasprintf("%s.drf", name);
	fx_put(fx, file, text);
	path = fx_path(fx, file);
	free(file);
	if (deck_load(&d, path, NULL, &cause) != 0)
		printf("# %s\n", cause);
	free(cause);
	free(path);
	return d;
}

#define DECK_JA \
	"#title Mail\n" \
	"#define GLS() JavaScript:parent.display.openglossary(\"$1.html\")\n" \
	"--- Intro\n" \
	"<p>\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe9\x80\x81\xe4\xbf\xa1\xe3\x81\xae\xe3\x81\x97\xe3\x81\x8f\xe3\x81\xbf</p>\n" \
	"#note secretword\n" \
	"---\n" \
	"<p>The <a href='GLS(smtp)'>SMTP</a> relay &lt;script&gt;</p>\n" \
	"---\n" \
	"<p>ab ba</p>\n"

/* Counts the results of a query. */
static size_t
hits(struct search *s, const char *q, const char *scope)
{
	struct search_result	 r;
	size_t			 n;

	if (search_query(s, q, strlen(q), scope, &r) != 0)
		return (size_t)-1;
	n = r.n;
	search_result_free(&r);
	return n;
}

static void
test_index(void)
{
	struct fixture		 fx;
	struct search		*s;
	struct search_result	 r;
	struct search_stats	 st;
	struct deck		*d;

	if (fx_init(&fx, "search") != 0)
		return;
	s = search_create(1 << 20);
	d = load(&fx, "mail", DECK_JA);
	ok(search_put_deck(s, "mail", 7, d) == 0, "a deck is put");
	is_int(search_deck_version(s, "mail"), 7, "its version is kept");
	/* 送信 inside a sentence without spaces. */
	is_int(hits(s, "\xe9\x80\x81\xe4\xbf\xa1", NULL), 1,
	    "a Japanese word inside a sentence is found");
	search_stats(s, &st);
	is_int(st.builds, 1, "the first query built the lists");
	is_int(hits(s, "smtp RELAY", NULL), 1, "English is found case-insensitively");
	is_int(hits(s, "secretword", NULL), 0, "a speaker note is never found");
	/* Both n-grams of "aba" are on the last page ("ab ba"), the word is not. */
	is_int(hits(s, "aba", NULL), 0,
	    "n-grams on a page but not the word: no false result");
	is_int(hits(s, "ab b", NULL), 1, "... the words as they are: found");
	is_int(hits(s, "\xe3\x83\xab", NULL), 1, "one character is found");
	ok(search_query(s, "intro", 5, NULL, &r) == 0 && r.n == 1 &&
	    strcmp(r.v[0].label, "Intro") == 0 && r.v[0].page == 0,
	    "a label is searched and given with the result");
	search_result_free(&r);
	ok(search_query(s, "script", 6, NULL, &r) == 0 && r.n == 1 &&
	    strstr(r.v[0].snippet, "&lt;<mark>script</mark>&gt;") != NULL,
	    "the snippet is escaped, the match marked");
	search_result_free(&r);
	is_int(hits(s, "smtp", "other/"), 0, "a scope leaves out the decks outside it");
	is_int(hits(s, "smtp", "ma"), 1, "a scope is a prefix of deck names");
	deck_free(d);
	d = load(&fx, "mail", "--- One\n<p>Replaced text</p>\n");
	search_put_deck(s, "mail", 8, d);
	is_int(hits(s, "relay", NULL), 0, "a new version replaces the old one");
	is_int(hits(s, "replaced", NULL), 1, "... and is found before the lists are built again");
	search_put_entry(s, "smtp", 1, "<h2>SMTP</h2><p>Simple Mail Transfer</p>", 40);
	ok(search_query(s, "transfer", 8, NULL, &r) == 0 && r.n == 1 &&
	    r.v[0].term != NULL && strcmp(r.v[0].term, "smtp") == 0,
	    "a glossary entry is found");
	search_result_free(&r);
	search_keep(s, NULL, 0, NULL, 0);
	is_int(hits(s, "replaced", NULL), 0, "a deck that is gone is dropped");
	deck_free(d);
	search_free(s);
	fx_done(&fx);
}

static void
test_uses(void)
{
	struct fixture		 fx;
	struct search		*s;
	struct search_use	*u;
	struct deck		*d;
	char			**terms = NULL;
	size_t			 n = 0;
	const char		*body = "<a href='JavaScript:parent.display."
	    "openglossary(\"smtp.html\")'>x</a> <a href='JavaScript:parent."
	    "display.openglossary(\"%E3%83%A1.html\")'>y</a> openglossary(\"smtp.html\")";

	search_page_terms(body, strlen(body), &terms, &n);
	ok(n == 2 && strcmp(terms[0], "smtp") == 0 &&
	    strcmp(terms[1], "\xe3\x83\xa1") == 0,
	    "a page's glossary links, decoded, each once");
	while (n > 0)
		free(terms[--n]);
	free(terms);
	if (fx_init(&fx, "search") != 0)
		return;
	s = search_create(1 << 20);
	d = load(&fx, "mail", DECK_JA);
	search_put_deck(s, "mail", 1, d);
	n = search_uses(s, "mail", "smtp", &u);
	ok(n == 1 && strcmp(u[0].deck, "mail") == 0 && u[0].page == 1,
	    "the concordance names the deck and page that use a term");
	search_uses_free(u, n);
	is_int(search_uses(s, "mail", "pop", &u), 0, "a term no page uses has none");
	deck_free(d);
	search_free(s);
	fx_done(&fx);
}

/* Returns the deck of a query's only result that is an entry, or "" (none, or more). */
static const char *
entry_deck(struct search *s, const char *q, const char *scope, char *name,
    size_t size)
{
	struct search_result	 r;

	*name = '\0';
	if (search_query(s, q, strlen(q), scope, &r) == 0 && r.n == 1 &&
	    r.v[0].term != NULL)
		snprintf(name, size, "%s", r.v[0].deck != NULL ? r.v[0].deck :
		    "(none)");
	search_result_free(&r);
	return name;
}

/* Course folders: a deck finds a term's entry in its own folder's glossary, else above. */
static void
test_chain(void)
{
	struct fixture		 fx;
	struct search		*s;
	struct search_use	*u;
	struct deck		*d;
	char			 deck[64];
	size_t			 n;

	if (fx_init(&fx, "search") != 0)
		return;
	s = search_create(1 << 20);
	d = load(&fx, "mail", DECK_JA);
	search_put_deck(s, "mail", 1, d);
	search_put_deck(s, "uni/net/tcp", 2, d);
	search_put_deck(s, "uni/net/udp", 3, d);
	search_put_deck(s, "law/contracts", 4, d);
	search_put_entry(s, "smtp", 5, "<p>Top entry topword</p>", 24);
	search_put_entry(s, "uni/smtp", 6, "<p>Course entry uniword</p>", 27);
	n = search_uses(s, "uni/net/tcp", "smtp", &u);
	ok(n == 2 && strcmp(u[0].deck, "uni/net/tcp") == 0 &&
	    strcmp(u[1].deck, "uni/net/udp") == 0,
	    "a course's entry lists the decks below it that use the term");
	search_uses_free(u, n);
	n = search_uses(s, "mail", "smtp", &u);
	ok(n == 2 && strcmp(u[0].deck, "law/contracts") == 0 &&
	    strcmp(u[1].deck, "mail") == 0,
	    "the top's entry lists the decks that find it, not those of the course with its own");
	search_uses_free(u, n);
	is_str(entry_deck(s, "uniword", NULL, deck, sizeof deck), "uni/net/tcp",
	    "a course's entry is found and linked through a deck below its folder");
	is_str(entry_deck(s, "topword", NULL, deck, sizeof deck), "law/contracts",
	    "the top's entry is linked through a deck that finds it");
	is_int(hits(s, "topword", "uni/"), 0,
	    "a course's search leaves out the top's entry its decks do not find");
	is_int(hits(s, "uniword", "uni/net/"), 1, "... and finds its own");
	is_str(entry_deck(s, "uniword", "uni/net/", deck, sizeof deck),
	    "uni/net/tcp", "... through one of its decks");
	deck_free(d);
	search_free(s);
	fx_done(&fx);
}

/*
 * A refused entry (put without text) is the entry of the decks below its
 * folder, as on disk: it hides the one above it from them.
 */
static void
test_refused(void)
{
	struct fixture		 fx;
	struct search		*s;
	struct search_use	*u;
	struct search_stats	 st;
	struct deck		*d;
	char			 deck[64];
	size_t			 n, units;

	if (fx_init(&fx, "search") != 0)
		return;
	s = search_create(1 << 20);
	d = load(&fx, "mail", DECK_JA);
	search_put_deck(s, "mail", 1, d);
	search_put_deck(s, "uni/net/tcp", 2, d);
	search_put_deck(s, "uni/net/udp", 3, d);
	search_put_deck(s, "law/contracts", 4, d);
	search_put_entry(s, "smtp", 5, "<p>Top entry topword</p>", 24);
	search_stats(s, &st);
	units = st.units;
	ok(search_put_entry(s, "uni/smtp", 6, NULL, 0) == 0,
	    "a refused entry is put without text");
	is_int(search_entry_version(s, "uni/smtp"), 6, "... and its version is held");
	search_stats(s, &st);
	is_int(st.entries, 2, "... as an entry");
	is_int(st.units, units, "... with no text to search");
	n = search_uses(s, "mail", "smtp", &u);
	ok(n == 2 && strcmp(u[0].deck, "law/contracts") == 0 &&
	    strcmp(u[1].deck, "mail") == 0,
	    "the top's entry does not list the decks below a folder that refuses the term's entry");
	search_uses_free(u, n);
	n = search_uses(s, "uni/net/tcp", "smtp", &u);
	ok(n == 2 && strcmp(u[0].deck, "uni/net/tcp") == 0 &&
	    strcmp(u[1].deck, "uni/net/udp") == 0,
	    "those decks list the pages that find the refused entry, as they do");
	search_uses_free(u, n);
	is_int(hits(s, "topword", "uni/"), 0,
	    "a course's search leaves out the top's entry that a refused one hides");
	is_int(hits(s, "topword", NULL), 1, "the whole site's search finds it");
	is_str(entry_deck(s, "topword", NULL, deck, sizeof deck),
	    "law/contracts", "... through a deck that finds it");
	/* No deck uses pop: its result links through the first deck that finds it. */
	search_put_entry(s, "pop", 7, "<p>Top entry popword</p>", 24);
	search_put_entry(s, "law/pop", 8, NULL, 0);
	is_str(entry_deck(s, "popword", NULL, deck, sizeof deck), "mail",
	    "an entry used by no deck is linked through one that finds it, not one whose folder refuses it");
	is_int(hits(s, "popword", "law/"), 0, "... and is not found from that folder");
	deck_free(d);
	search_free(s);
	fx_done(&fx);
}

static void
test_bound(void)
{
	struct fixture		 fx;
	struct search		*s;
	struct search_result	 r;
	struct deck		*d;

	if (fx_init(&fx, "search") != 0)
		return;
	s = search_create(64);
	d = load(&fx, "mail", DECK_JA);
	ok(search_put_deck(s, "mail", 1, d) == -1, "a deck past the bound is left out");
	ok(search_query(s, "smtp", 4, NULL, &r) == 0 && r.left_out == 1,
	    "... and results say so");
	search_result_free(&r);
	deck_free(d);
	search_free(s);
	fx_done(&fx);
}

static void
test_long(void)
{
	struct search		*s = search_create(1 << 20);
	struct search_result	 r;
	char			 q[SEARCH_MAX_QUERY + 2];

	memset(q, 'a', sizeof q);
	ok(search_query(s, q, SEARCH_MAX_QUERY, NULL, &r) == 0,
	    "a query of the longest length is taken");
	search_result_free(&r);
	ok(search_query(s, q, sizeof q, NULL, &r) == -1, "a longer one is refused");
	search_free(s);
}

static void
test_update(void)
{
	struct search	*s = search_create(1 << 20);

	ok(search_check_due(s, 1000, 100), "changes are looked for at first");
	ok(search_check_due(s, 1001, 100), "... and until a first update is done");
	ok(search_update_begin(s, 7) == 1, "an update with a new token is due");
	search_update_end(s, 7);
	ok(!search_check_due(s, 1050, 100), "then not again within the interval");
	ok(search_check_due(s, 1101, 100), "... but after it");
	ok(search_update_begin(s, 7) == 0, "the same token: nothing to update");
	ok(search_update_begin(s, 8) == 1, "another token: an update");
	search_update_end(s, 8);
	search_free(s);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_update),
	TAP_CASE(test_plain),
	TAP_CASE(test_fold),
	TAP_CASE(test_index),
	TAP_CASE(test_uses),
	TAP_CASE(test_chain),
	TAP_CASE(test_refused),
	TAP_CASE(test_bound),
	TAP_CASE(test_long),
};

int
main(void)
{
	int	 rc = tap_run_cases(cases);

	buf_free(&out);
	return rc;
}
