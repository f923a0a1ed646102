/* source.h: reading a deck's bytes into UTF-8 text and splitting it into lines. */
#ifndef DRF_SOURCE_H
#define DRF_SOURCE_H

#include <stddef.h>

/*
 * The decoded text of one deck file. The text is UTF-8 without a byte-order
 * mark, NUL-terminated, and holds no NUL byte of its own. Line terminators are
 * left in place; source_next_line() strips them. Owned by the struct.
 */
struct source {
	char		*base;		/* the allocation that text points into */
	const char	*text;
	size_t		 len;
	char		*charset;	/* what it was read as: "UTF-8", "EUC-JP", "CP932", or a #charset name */
	int		 guessed;	/* 1: not UTF-8 and no #charset; charset is the fallback that fitted */
	/* After a failure: the line it names (0: none), why, and that line's bytes as read. */
	unsigned long	 err_line;
	size_t		 err_col;	/* 1-based byte in err_line; 0 when none */
	char		*err_msg;
	char		*err_text;	/* err_textlen bytes (NUL-terminated), or NULL */
	size_t		 err_textlen;
};

/*
 * Takes ownership of bytes (a malloc'ed block of len bytes followed by one
 * extra writable byte, as util_read_file() returns) and turns it into UTF-8:
 * - a UTF-8 byte-order mark at the start is skipped;
 * - a UTF-16 or UTF-32 byte-order mark is an error;
 * - a NUL byte anywhere is an error naming its line;
 * - a "#charset NAME" directive (the line begins with "#charset" and a blank)
 *   before the first page separator converts the file from NAME with iconv;
 * - otherwise valid UTF-8 is kept as it is, and invalid UTF-8 is tried as
 *   EUC-JP, then as CP932 (Shift_JIS); if none fits, the error names the line
 *   and byte (column) of the first byte that is not UTF-8.
 * file names the deck in messages. On error returns -1 with *cause set to
 * "file:line: message", bytes freed and the err_ fields of src set (free them
 * with source_free()); on success fills src.
 */
int	 source_decode(struct source *src, const char *file, char *bytes,
	    size_t len, char **cause);
void	 source_free(struct source *);

/* Iterates over the lines of a text; LF, CRLF and a lone CR each end a line. */
struct source_iter {
	const char	*p;
	const char	*end;
	const char	*cr;		/* no CR in [p, cr); NULL before the first look */
	unsigned long	 lineno;
};

void	 source_iter_init(struct source_iter *, const char *, size_t);
/* Returns 0 and the next line (without its terminator) and its 1-based number, or -1 at the end. */
int	 source_next_line(struct source_iter *, const char **, size_t *,
	    unsigned long *);

/* Returns the number of the line that holds byte offset off (1-based). */
unsigned long source_line_of(const char *, size_t off);

/* Returns 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
int	 source_valid_utf8(const char *s, size_t len, size_t *bad);
/* Counts the characters of UTF-8 text, as an editor shows its columns. */
size_t	 source_utf8_chars(const char *, size_t);

#endif
