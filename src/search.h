/* search.h: the search index over every deck's pages and the glossary entries, in memory. */
#ifndef DRF_SEARCH_H
#define DRF_SEARCH_H

#include <stddef.h>
#include <stdint.h>

struct deck;

/*
 * The index holds, for each deck version it was given, the plain text of
 * every page (after substitution, tags stripped, references decoded; never
 * the speaker notes), the pages' labels and the glossary terms each page
 * links to; and the plain text of glossary entries. It finds a query by its
 * characters' n-grams (each code point, each pair of consecutive code
 * points, and each triple of ASCII ones, folded), so that Japanese needs
 * no spaces, and then checks every
 * candidate against the text itself, so that nothing is found that is not
 * there.
 *
 * The n-grams of the texts held at the last build are in compact posting
 * lists (ascending unit numbers as varint deltas, or a bitmap when that is
 * smaller); a deck given since is searched by reading its text, until
 * such texts make up an eighth of the whole, when the next query builds the
 * lists again. What the index holds (texts and lists) is bounded by the
 * max_bytes given to search_create(): a deck that would pass it is not
 * indexed, and results say how many were left out.
 *
 * Thread safe: every function takes the index's lock.
 */
struct search;

#define SEARCH_MAX_QUERY	256	/* code points of a query */
#define SEARCH_MAX_HITS		100	/* results listed for a query */

struct search *search_create(size_t max_bytes);
void	 search_free(struct search *);		/* accepts NULL */

/*
 * Keeping the index up to date: the caller compares its own token of the
 * decks' state (e.g. cache_watch()) with the one of the last update;
 * search_update_begin() returns 1, holding the update lock, when an update
 * is due (the caller then puts what changed and calls search_update_end()),
 * or 0 when the index is current. Updates are one at a time; queries go on
 * meanwhile.
 */
int	 search_update_begin(struct search *, uint64_t token);
/*
 * Returns 1 when it is time to look for changes: until a first update is
 * done, then at most once per interval milliseconds (now: util_now_ms()),
 * so that a search looks at the files no more often than a deck's own
 * requests do.
 */
int	 search_check_due(struct search *, unsigned long long now,
	    unsigned interval);
void	 search_update_end(struct search *, uint64_t token);

/*
 * A glossary entry is named by its term, after the course folder whose
 * glossary holds it: "tcp" for the top's glossary/tcp.html,
 * "uni/networks1/tcp" for uni/networks1/glossary/tcp.html. A deck finds a
 * term's entry in its own folder's glossary, else in each folder's above
 * it (as glossary_find() does on disk).
 */

/* The version of a deck, or of an entry (by its name), the index holds; 0 if none. */
uint64_t search_deck_version(struct search *, const char *name);
uint64_t search_entry_version(struct search *, const char *name);
/*
 * Puts a deck's version (replacing the one held) or a glossary entry's
 * fragment. An entry that is there but refused (glossary.h) is put with
 * html NULL: it has no text to find, and a deck that finds it finds no
 * entry, not one of a folder above. Returns 0, or -1 when it would pass
 * the bound (it is then left out).
 */
int	 search_put_deck(struct search *, const char *name, uint64_t version,
	    const struct deck *);
int	 search_put_entry(struct search *, const char *name, uint64_t version,
	    const char *html, size_t len);
/*
 * Drops the decks and entries not named in the lists (each sorted by
 * strcmp), which are those that exist now.
 */
void	 search_keep(struct search *, char *const *decks, size_t ndecks,
	    char *const *entries, size_t nentries);

/* One result: a page of a deck, or a glossary entry. */
struct search_hit {
	char		*deck;		/* the deck's name (an entry: a deck that finds it, or NULL) */
	char		*title;		/* the deck's title, or NULL */
	char		*lang;		/* the deck's language, or NULL */
	char		*term;		/* an entry's term, or NULL for a page */
	size_t		 page;
	char		*label;		/* the page's label ("" for none) */
	char		*snippet;	/* HTML: escaped text around the match, in <mark> */
};

struct search_result {
	struct search_hit *v;		/* entries first, then pages by deck name */
	size_t		 n;
	int		 more;		/* more matches than SEARCH_MAX_HITS */
	size_t		 decks;		/* decks searched */
	size_t		 left_out;	/* decks not indexed: over the bound */
};

/*
 * Finds a UTF-8 query (valid, at most SEARCH_MAX_QUERY code points once
 * white space is collapsed) in the decks whose names start with scope
 * (NULL or "" for all) and in the glossary entries (with a scope, those
 * that a deck in it uses and finds). Returns 0, or -1 for a query too long.
 */
int	 search_query(struct search *, const char *q, size_t len,
	    const char *scope, struct search_result *);
void	 search_result_free(struct search_result *);

/* Where a glossary term is used: a page of a deck that links to its entry. */
struct search_use {
	char		*deck;
	char		*title;
	size_t		 page;
	char		*label;
};
/*
 * Lists the pages that link to the entry deck finds for term (the pages
 * of the decks that find that same entry, or none), by deck name and
 * page; returns how many.
 */
size_t	 search_uses(struct search *, const char *deck, const char *term,
	    struct search_use **);
void	 search_uses_free(struct search_use *, size_t);

/* Figures for the benchmark and tests. */
struct search_stats {
	size_t		 decks;		/* decks held */
	size_t		 entries;	/* glossary entries held */
	size_t		 units;		/* pages and entries */
	size_t		 text;		/* bytes of their plain text */
	size_t		 lists;		/* bytes of the n-gram lists and their keys */
	size_t		 bytes;		/* everything the index holds, texts included */
	size_t		 builds;	/* times the lists were built */
};
void	 search_stats(struct search *, struct search_stats *);

/*
 * The glossary terms an expanded page links to (the argument of each
 * glossary macro's openglossary("TERM.html") call, decoded), in order,
 * each once, appended to *terms (*n of them; the caller frees each).
 */
void	 search_page_terms(const char *body, size_t len, char ***terms,
	    size_t *n);

#endif
