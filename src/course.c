/* course.c: reading a course folder's course.txt: its title and short text. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "course.h"
#include "source.h"
#include "util.h"

/* Returns 1 if a line holds nothing but blanks. */
static int
course_blank(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i == len;
}

/* Trims blanks from both ends of a line. */
static void
course_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/*
 * Splits decoded text into title and paragraphs: comments dropped, runs of
 * empty lines made one paragraph break, lines of a paragraph joined by "\n".
 */
static void
course_parse(const struct source *src, struct course_info *ci)
{
	struct source_iter	 it;
	struct buf		 b = BUF_INIT;
	const char		*line;
	size_t			 n;
	unsigned long		 no;
	int			 gap = 0;

	source_iter_init(&it, src->text, src->len);
	while (source_next_line(&it, &line, &n, &no) == 0) {
		if (n > 0 && *line == '#')
			continue;
		if (course_blank(line, n)) {
			gap = b.len > 0;
			continue;
		}
		course_trim(&line, &n);
		if (ci->title == NULL) {
			ci->title = xstrndup(line, n);
			continue;
		}
		if (b.len > 0)
			buf_adds(&b, gap ? "\n\n" : "\n");
		buf_add(&b, line, n);
		gap = 0;
	}
	if (b.len > 0) {
		buf_addc(&b, '\0');
		ci->text = buf_detach(&b, NULL);
	}
	buf_free(&b);
}

/* Reads and decodes the folder's course.txt. */
int
course_read(const char *dir, struct course_info *ci, char **cause)
{
	struct source	 src;
	struct stat	 st;
	char		*path, *raw;
	size_t		 len;
	int		 rc;

	memset(ci, 0, sizeof *ci);
	path = xasprintf("%s/" COURSE_FILE, dir);
	if (lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		free(path);
		return 1;
	}
	if (util_read_file_st(path, 1, COURSE_MAX_FILE, &raw, &len, NULL,
	    cause) != 0) {
		free(path);
		return -1;
	}
	rc = source_decode(&src, path, raw, len, cause);
	if (rc == 0)
		course_parse(&src, ci);
	source_free(&src);
	free(path);
	return rc == 0 ? 0 : -1;
}

/* Frees what a course_info holds. */
void
course_info_free(struct course_info *ci)
{
	free(ci->title);
	free(ci->text);
	memset(ci, 0, sizeof *ci);
}
