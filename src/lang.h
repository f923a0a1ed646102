/* lang.h: the interface languages: one table of texts per language, and which one a page shows. */
#ifndef DRF_LANG_H
#define DRF_LANG_H

#include <stddef.h>

/* One interface text: the templates show it as {{s_NAME}} (it may hold markup). */
struct lang_string {
	const char	*name;
	const char	*text;
};

/*
 * An interface text that holds a count: one form for each plural category
 * of the language (as its table's plural rule numbers them), "{n}" where
 * the number goes.
 */
#define LANG_MAX_FORMS	6	/* zero, one, two, few, many, other */
struct lang_count {
	const char	*name;
	const char	*forms[LANG_MAX_FORMS];
};

/*
 * The interface in one language: its primary language subtag ("en", "ja"),
 * its name in itself, its texts, its plural rule (the form of a count
 * text for the number n) and its count texts. Every table has the names of
 * lang_en.
 */
struct lang_table {
	const char			*tag;
	const char			*autonym;
	const struct lang_string	*v;
	size_t				 n;
	size_t				(*plural)(unsigned long n);
	const struct lang_count		*counts;
	size_t				 ncounts;
};

extern const struct lang_table lang_en;	/* lang_en.c; also the fallback */
extern const struct lang_table lang_ja;	/* lang_ja.c */

/* How many interface languages there are, and the i-th (0: English). */
size_t	 lang_count(void);
const struct lang_table *lang_at(size_t);
/* The position of the table for a language tag's primary subtag, or lang_count() for none. */
size_t	 lang_find(const char *tag);
/* The table for a language tag (ja, ja-JP, ...), or English when there is none. */
const struct lang_table *lang_for(const char *tag);
/* The text of name in a table, or in English when the table lacks it, or "". */
const char *lang_text(const struct lang_table *, const char *name);
/*
 * The count text of name for the number n, in the form the table's plural
 * rule picks, shown as shown (e.g. "100+"; NULL: n in digits); in English
 * when the table lacks it, "" when English does too. Allocated; like every
 * interface text, it may hold markup.
 */
char	*lang_count_text(const struct lang_table *, const char *name,
	    unsigned long n, const char *shown);

/*
 * Picks the interface of a page that lists decks (the site index, a course
 * index): from the request's Accept-Language value (may be NULL) when it
 * accepts one of the tables (highest q first; at equal q the range written
 * first), else from the languages of the decks listed (the tag each deck's
 * page says, n of them): the table most of them use; at a tie, the first in
 * lang_at() order (English first).
 */
const struct lang_table *lang_pick(const char *accept,
	    const char *const *deck_langs, size_t n);

/* The same in two steps: votes (lang_count() of them) counts the decks of each table. */
void	 lang_votes(size_t *votes, const char *const *deck_langs, size_t n);
/* Returns the position (lang_at()) of the table picked. */
size_t	 lang_pick_votes(const char *accept, const size_t *votes);

/*
 * Reads Accept-Language for one table: the q (0 to 1000) of the most
 * preferred range that names its primary subtag, else that of "*", else 0;
 * *pos is the place of that range in the list (a wildcard after all the
 * others). Malformed ranges and parameters are skipped. Returns -1 when the
 * value names no range at all.
 */
int	 lang_accept_q(const char *accept, const char *tag, size_t *pos);

#endif
