/* course.h: a course folder's own description, its course.txt. */
#ifndef DRF_COURSE_H
#define DRF_COURSE_H

#include <stddef.h>

/*
 * A folder of decks below the decks root is a course. It may describe
 * itself in the file COURSE_FILE: plain text, decoded as a deck is (UTF-8,
 * a #charset line, or the EUC-JP and Shift_JIS guess). Lines that begin
 * with '#' are comments. The first other line that is not empty is the
 * course's title; the lines after it are a short text, in paragraphs
 * separated by empty lines. Nothing in it is HTML: it is shown escaped.
 * A symbolic link, a file that is not regular, or one larger than
 * COURSE_MAX_FILE bytes is not read.
 */
#define COURSE_FILE	"course.txt"
#define COURSE_MAX_FILE	((size_t)64 << 10)

struct course_info {
	char	*title;		/* NULL when the file has none */
	char	*text;		/* paragraphs separated by "\n\n", or NULL */
};

/*
 * Reads the course.txt of folder dir. Returns 0 with info filled, 1 when
 * there is none, or -1 with *cause when it is there but cannot be read or
 * decoded (info empty).
 */
int	 course_read(const char *dir, struct course_info *, char **cause);
void	 course_info_free(struct course_info *);	/* empties it */

#endif
