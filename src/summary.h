/* summary.h: what the index shows of a deck, kept apart from the deck itself. */
#ifndef DRF_SUMMARY_H
#define DRF_SUMMARY_H

#include <stddef.h>

#include "deck.h"

/*
 * A deck's title, notes, language and page labels (a page without a label
 * gets the first line of its text): a few hundred bytes to a few KiB
 * where the deck may hold megabytes, so that a list of thousands of decks
 * can be kept. Immutable once made; any number of threads may read it.
 */
struct summary {
	char		*name;
	char		*title;
	char		*notes;
	char		*lang;		/* the deck's language tag */
	const char	*aspect;	/* "16:9" or "4:3" (a constant string) */
	char		**labels;	/* npages strings: the label, or the first line */
	unsigned char	*labeled;	/* npages flags: labels[i] is the page's label */
	size_t		 npages;
	size_t		 size;		/* bytes held, for accounting */
};

/* Makes the summary of a deck. */
struct summary *summary_make(const struct deck *);
void	 summary_free(struct summary *);	/* accepts NULL */

#endif
