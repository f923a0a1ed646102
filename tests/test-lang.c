/* test-lang.c: unit tests for the interface languages: Accept-Language, the majority of decks, the tables. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fixture.h"
#include "lang.h"
#include "tap.h"

/* The tag lang_pick gives for a header and the decks' languages. */
static const char *
pick(const char *accept, const char *const *langs, size_t n)
{
	return lang_pick(accept, langs, n)->tag;
}

static const char *const one_ja[] = { "ja" };
static const char *const en_ja_ja[] = { "en", "ja", "ja-JP" };
static const char *const en_en_ja[] = { "en-GB", "ja", "en" };
static const char *const tie[] = { "ja", "en" };

/* q-values: the highest wins, whatever the order; ranges match by their primary subtag. */
static void
test_qvalues(void)
{
	is_str(pick("ja", en_en_ja, 3), "ja", "a single range");
	is_str(pick("en", en_ja_ja, 3), "en", "... the other way");
	is_str(pick("en;q=0.2, ja;q=0.9", NULL, 0), "ja", "the higher q, listed second");
	is_str(pick("fr, ja;q=0.5, en;q=0.3", NULL, 0), "ja",
	    "a language without a table is passed over for the next best");
	is_str(pick("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", NULL, 0), "ja",
	    "a browser's usual list, region subtags included");
	is_str(pick("EN-gb", one_ja, 1), "en", "subtags match case-insensitively");
	is_str(pick("en ; q = 0.5 , ja ; q=0.4", NULL, 0), "en", "blanks around ';' and '=' are allowed");
	is_str(pick("en;q=1.000, ja;q=1", one_ja, 1), "en",
	    "equal q: the range written first");
	is_str(pick("ja;q=0.999, en;q=1.0", NULL, 0), "en", "three decimals count");
	is_str(pick("en;Q=0.1, ja;q=0.2", NULL, 0), "ja", "Q in capitals is q");
}

/* What is not acceptable, malformed or absent falls to the decks. */
static void
test_fallback(void)
{
	is_str(pick(NULL, en_ja_ja, 3), "ja", "no header: most decks (2 of 3 Japanese)");
	is_str(pick(NULL, en_en_ja, 3), "en", "no header: most decks (2 of 3 English)");
	is_str(pick("", en_ja_ja, 3), "ja", "an empty header: most decks");
	is_str(pick("fr, de;q=0.5", en_ja_ja, 3), "ja", "only languages without a table: most decks");
	is_str(pick("*", en_ja_ja, 3), "ja", "'*': any, so most decks");
	is_str(pick("ja;q=0, *", en_ja_ja, 3), "en", "q=0 refuses a language '*' would accept");
	is_str(pick("en;q=0", one_ja, 1), "ja", "q=0 alone: not that one");
	is_str(pick("ja;q=0, en;q=0", en_ja_ja, 3), "ja", "nothing acceptable: most decks");
	is_str(pick("ja;q=2, en;q=0.1", en_ja_ja, 3), "en", "q above 1 is malformed: that range is skipped");
	is_str(pick("ja;q=0.5000, en;q=0.1", NULL, 0), "en", "four decimals are malformed");
	is_str(pick("ja;q=abc, en;q=0.1", NULL, 0), "en", "a q that is not a number is malformed");
	is_str(pick("j@, en;q=0.1", NULL, 0), "en", "a range that is not a tag is skipped");
	is_str(pick(",,;,", en_ja_ja, 3), "ja", "commas and nothing else: most decks");
	is_str(pick(NULL, tie, 2), "en", "a tie between the decks: English, whatever their order");
	is_str(pick(NULL, tie + 1, 1), "en", "one English deck");
	is_str(pick(NULL, NULL, 0), "en", "no decks, no header: English");
	is_str(pick("*;q=0.5, ja;q=0.4", tie, 2), "en",
	    "'*' above a named range: the decks decide among the rest (a tie: English)");
}

/* The q and the place of the range that counts for one language. */
static void
test_accept_q(void)
{
	size_t	 pos;

	is_int(lang_accept_q("ja;q=0.25", "ja", &pos), 250, "q in thousandths");
	is_int(lang_accept_q("en, ja-JP;q=0.5, ja;q=0.7", "ja", &pos), 700,
	    "the best of two ranges of one language");
	is_int((int)pos, 3, "... and its place in the list");
	is_int(lang_accept_q("en", "ja", &pos), 0, "a language not named: 0");
	is_int(lang_accept_q("", "ja", &pos), -1, "no range at all: -1");
	is_int(lang_accept_q(NULL, "ja", &pos), -1, "no header: -1");
	is_int(lang_accept_q("*;q=0.3", "ja", &pos), 300, "'*' counts for a language not named");
}

/* Returns 1 if a table has a text of that name itself (not by falling back to English). */
static int
has_name(const struct lang_table *t, const char *name)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return 1;
	return 0;
}

/* Returns a count text, valid until the next call (t NULL: frees the last). */
static const char *
counted(const struct lang_table *t, const char *name, unsigned long n,
    const char *shown)
{
	static char	*last;

	free(last);
	last = t != NULL ? lang_count_text(t, name, n, shown) : NULL;
	return last;
}

/* Counts: a form for each plural category of a language, the number in it. */
static void
test_counts(void)
{
	const struct lang_table	*t;
	const struct lang_count	*c;
	size_t			 i, j, k;
	unsigned long		 n;
	int			 missing = 0, noform = 0, nonum = 0;

	is_str(counted(&lang_en, "n_pages", 1, NULL), "1 page", "English: 1 page, in the singular");
	is_str(counted(&lang_en, "n_pages", 2, NULL), "2 pages", "... 2 pages, in the plural");
	is_str(counted(&lang_en, "n_pages", 0, NULL), "0 pages", "... and 0 pages");
	is_str(counted(&lang_en, "n_results", 1, NULL), "1 result", "1 result");
	is_str(counted(&lang_en, "n_decks_searched", 1, NULL), "1 deck and the glossary",
	    "1 deck searched");
	is_str(counted(&lang_en, "n_left_out", 1, NULL), "1 deck was too many to index",
	    "1 deck left out");
	is_str(counted(&lang_en, "n_results", 100, "100+"), "100+ results",
	    "a number shown otherwise takes the form of the number");
	is_str(counted(&lang_ja, "n_pages", 1, NULL), "1 ページ", "Japanese: one form, 1");
	is_str(counted(&lang_ja, "n_pages", 2, NULL), "2 ページ", "... and 2");
	is_str(counted(&lang_ja, "no such name", 2, NULL), "", "an unknown name: empty");
	for (i = 0; i < lang_count(); i++) {
		t = lang_at(i);
		for (j = 0; j < lang_en.ncounts; j++) {
			c = NULL;
			for (k = 0; k < t->ncounts; k++)
				if (strcmp(t->counts[k].name,
				    lang_en.counts[j].name) == 0)
					c = &t->counts[k];
			if (c == NULL) {
				printf("# %s lacks %s\n", t->tag,
				    lang_en.counts[j].name);
				missing++;
				continue;
			}
			/* Every form the rule picks is there and shows the number. */
			for (n = 0; n <= 1000; n++) {
				k = t->plural(n);
				if (k >= LANG_MAX_FORMS || c->forms[k] == NULL) {
					printf("# %s %s: no form %zu for %lu\n",
					    t->tag, c->name, k, n);
					noform++;
					break;
				}
				if (strstr(c->forms[k], "{n}") == NULL) {
					printf("# %s %s: form %zu lacks {n}\n",
					    t->tag, c->name, k);
					nonum++;
					break;
				}
			}
		}
		if (t->ncounts != lang_en.ncounts) {
			printf("# %s has %zu counts, English %zu\n", t->tag,
			    t->ncounts, lang_en.ncounts);
			missing++;
		}
	}
	is_int(missing, 0, "every table has every count of the English one, and no other");
	is_int(noform, 0, "... a form for each category its plural rule picks");
	is_int(nonum, 0, "... each with the number in it");
	counted(NULL, NULL, 0, NULL);
}

/* Every table has every text of the English one, and the templates name only texts that exist. */
static void
test_tables(void)
{
	struct fixture	 fx;
	struct dirent	*de;
	DIR		*dir;
	char		*path, *text, *p, *e;
	size_t		 i, j, len;
	int		 missing = 0, unknown = 0, extra = 0;

	ok(lang_count() >= 2, "English and Japanese at least");
	is_str(lang_at(0)->tag, "en", "English first (the fallback)");
	for (i = 1; i < lang_count(); i++)
		for (j = 0; j < lang_en.n; j++)
			if (!has_name(lang_at(i), lang_en.v[j].name)) {
				printf("# %s lacks %s\n", lang_at(i)->tag,
				    lang_en.v[j].name);
				missing++;
			}
	is_int(missing, 0, "every table has every name of the English one");
	for (i = 0; i < lang_count(); i++)
		if (lang_at(i)->n != lang_en.n) {
			printf("# %s has %zu texts, English %zu\n",
			    lang_at(i)->tag, lang_at(i)->n, lang_en.n);
			extra++;
		}
	is_int(extra, 0, "... and no name English lacks");
	is_str(lang_text(&lang_ja, "decks"), "スライド一覧", "a Japanese text");
	is_str(lang_text(&lang_ja, "no such name"), "", "an unknown name: empty");
	is_str(lang_for("ja-JP")->tag, "ja", "ja-JP has the Japanese table");
	is_str(lang_for("pt-BR")->tag, "en", "a language without a table: English");
	if (fx_init(&fx, "lang") != 0)
		return;
	if ((dir = opendir(fx.templates)) == NULL) {
		ok(0, "opendir %s", fx.templates);
		fx_done(&fx);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strstr(de->d_name, ".html") == NULL)
			continue;
		path = xasprintf("%s/%s", fx.templates, de->d_name);
		text = NULL;
		if (util_read_file(path, 1 << 20, &text, &len, NULL) != 0)
			ok(0, "read %s", path);
		for (p = text; p != NULL && (p = strstr(p, "{{s_")) != NULL; p = e) {
			p += 4;
			e = p + strcspn(p, "}");
			*e = '\0';
			/* By name: a text may be empty in one language (a word order). */
			if (!has_name(&lang_en, p)) {
				printf("# %s names s_%s\n", de->d_name, p);
				unknown++;
			}
			e++;
		}
		free(text);
		free(path);
	}
	closedir(dir);
	is_int(unknown, 0, "every {{s_NAME}} in the templates is in the tables");
	fx_done(&fx);
}

/*
 * Counts the error message names ("e_NAME" literals: what response_error
 * takes) in one source file that the English table lacks; *seen counts all.
 */
static int
unknown_messages(const char *path, const char *file, size_t *seen)
{
	char	*text = NULL, *p, *e;
	size_t	 len;
	int	 unknown = 0;

	if (util_read_file(path, 1 << 22, &text, &len, NULL) != 0) {
		printf("# cannot read %s\n", path);
		return 1;
	}
	for (p = text; (p = strstr(p, "\"e_")) != NULL; p = e) {
		p++;
		e = p + strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		if (*e != '"')
			continue;
		*e++ = '\0';
		(*seen)++;
		if (!has_name(&lang_en, p)) {
			printf("# %s names %s\n", file, p);
			unknown++;
		}
	}
	free(text);
	return unknown;
}

/* Every error message named in src/ is a text of the tables (test_tables: of every table). */
static void
test_messages(void)
{
	const char	*top;
	char		*dirname, *path;
	struct dirent	*de;
	DIR		*dir;
	size_t		 seen = 0, len;
	int		 unknown = 0;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	dirname = xasprintf("%s/src", top);
	if ((dir = opendir(dirname)) == NULL) {
		ok(0, "opendir %s", dirname);
		free(dirname);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		len = strlen(de->d_name);
		/* The tables themselves define the names. */
		if (len < 3 || strcmp(de->d_name + len - 2, ".c") != 0 ||
		    strncmp(de->d_name, "lang_", 5) == 0)
			continue;
		path = xasprintf("%s/%s", dirname, de->d_name);
		unknown += unknown_messages(path, de->d_name, &seen);
		free(path);
	}
	closedir(dir);
	free(dirname);
	ok(seen >= 30, "the sources name their error messages (%zu)", seen);
	is_int(unknown, 0, "every error message named in the sources is in the tables");
	is_str(lang_text(&lang_ja, "e_no_page"), "該当するページはありません。",
	    "an error message in Japanese");
}

static const struct tap_case cases[] = {
	TAP_CASE(test_qvalues),
	TAP_CASE(test_fallback),
	TAP_CASE(test_accept_q),
	TAP_CASE(test_tables),
	TAP_CASE(test_counts),
	TAP_CASE(test_messages),
};

int
main(void)
{
	return tap_run_cases(cases);
}
