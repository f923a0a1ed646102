/* search_text.h: the plain text that search reads: tags stripped, references decoded, letters folded. */
#ifndef DRF_SEARCH_TEXT_H
#define DRF_SEARCH_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Appends the text a reader sees in an HTML fragment: tags dropped (the tag
 * of a block, a line break or a cell counts as a space, an inline one as
 * nothing, so that a word split by <b> stays whole), comments and the
 * content of script and style dropped, character references decoded, and
 * every run of white space written as one space. Invalid UTF-8 bytes become
 * U+FFFD.
 */
void	 search_text_plain(struct buf *, const char *html, size_t len);

/*
 * Decodes the code point at s (len > 0) into *cp and returns its length in
 * bytes; an invalid or truncated sequence is one byte of U+FFFD.
 */
size_t	 search_text_cp(const char *s, size_t len, uint32_t *cp);

/* Appends a code point as UTF-8. */
void	 search_text_put(struct buf *, uint32_t cp);

/*
 * Folds a code point for comparison: case of ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic letters; full-width ASCII as ASCII. Every
 * other code point (kana, kanji) is itself.
 */
uint32_t search_text_fold(uint32_t cp);

/* Returns 1 for the white space that search_text_plain() collapses. */
int	 search_text_space(uint32_t cp);

/*
 * A query as search compares it: its code points folded, white space
 * collapsed to one space and trimmed. At most SEARCH_TEXT_MAX code points.
 */
#define SEARCH_TEXT_MAX	256
struct search_query_cp {
	uint32_t	 cp[SEARCH_TEXT_MAX];
	size_t		 n;
};

/* Folds a UTF-8 query; returns -1 when it has more than SEARCH_TEXT_MAX code points. */
int	 search_text_query(struct search_query_cp *, const char *, size_t);

/*
 * Finds the folded query in text[from..len): returns 1 with the match's
 * bytes at *off (*mlen long), or 0.
 */
int	 search_text_find(const char *text, size_t len, size_t from,
	    const struct search_query_cp *, size_t *off, size_t *mlen);

#endif
