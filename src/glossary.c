/* glossary.c: reading glossary entries without following links, within one size limit. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset.h"
#include "buf.h"
#include "deck.h"
#include "diag.h"
#include "expand.h"
#include "glossary.h"
#include "source.h"
#include "util.h"

/* Opens the glossary folder, not following a link in its last component. */
int
glossary_dir_open(const char *dir)
{
	return open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Says what is wrong with a folder that could not be opened as the glossary. */
static char *
glossary_dir_why(const char *dir, int e)
{
	struct stat	 st;

	/* O_DIRECTORY | O_NOFOLLOW on a link fails with ENOTDIR. */
	if (e == ELOOP || (e == ENOTDIR && lstat(dir, &st) == 0 &&
	    S_ISLNK(st.st_mode)))
		return xasprintf("%s is a symbolic link, not followed", dir);
	if (e == ENOTDIR)
		return xasprintf("%s is not a folder", dir);
	return xasprintf("%s: %s", dir, strerror(e));
}

/* Opens an entry by the rule. */
int
glossary_open(const char *dir, const char *term, int *fd, struct stat *st,
    char **cause)
{
	char	*file;
	int	 dfd, e;

	*fd = -1;
	if (*term == '\0' || *term == '.' || strchr(term, '/') != NULL) {
		*cause = xasprintf("'%s' is not a glossary term", term);
		return -1;
	}
	if ((dfd = glossary_dir_open(dir)) == -1) {
		if (errno == ENOENT)
			return 1;
		*cause = glossary_dir_why(dir, errno);
		return -1;
	}
	file = xasprintf("%s.html", term);
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	*fd = openat(dfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	e = errno;
	close(dfd);
	if (*fd == -1) {
		*cause = e == ENOENT ? NULL : e == ELOOP ?
		    xasprintf("%s/%s is a symbolic link, not followed", dir,
		    file) : xasprintf("%s/%s: %s", dir, file, strerror(e));
		free(file);
		return e == ENOENT ? 1 : -1;
	}
	if (fstat(*fd, st) == -1 || !S_ISREG(st->st_mode))
		*cause = xasprintf("%s/%s is not a regular file", dir, file);
	else if ((uintmax_t)st->st_size > GLOSSARY_MAX_ENTRY)
		*cause = xasprintf("%s/%s is %jd bytes, over the glossary entry "
		    "limit of " GLOSSARY_MAX_ENTRY_NAME, dir, file,
		    (intmax_t)st->st_size);
	else {
		free(file);
		return 0;
	}
	free(file);
	close(*fd);
	*fd = -1;
	return -1;
}

/* Returns 1 if a decoded line is a #charset line (see source.h). */
static int
glossary_charset_line(const char *line, size_t len)
{
	return len >= 8 && memcmp(line, "#charset", 8) == 0 &&
	    (len == 8 || line[8] == ' ' || line[8] == '\t');
}

/* Copies an entry's decoded text, without the #charset lines it may have. */
static void
glossary_text(const struct source *src, char **data, size_t *len)
{
	struct source_iter	 it;
	struct buf		 b = BUF_INIT;
	const char		*line;
	size_t			 n;
	unsigned long		 no;
	int			 any = 0;

	source_iter_init(&it, src->text, src->len);
	while (!any && source_next_line(&it, &line, &n, &no) == 0)
		any = glossary_charset_line(line, n);
	if (!any) {
		*data = xstrndup(src->text, src->len);
		*len = src->len;
		return;
	}
	source_iter_init(&it, src->text, src->len);
	while (source_next_line(&it, &line, &n, &no) == 0) {
		if (glossary_charset_line(line, n))
			continue;
		buf_add(&b, line, n);
		buf_addc(&b, '\n');
	}
	*data = buf_detach(&b, len);
	if (*data == NULL)
		*data = xstrdup("");
}

/*
 * Reads an entry by the rule and decodes it as a deck is decoded (UTF-8, a
 * #charset line, or the EUC-JP and Shift_JIS guess). *guessed, when not
 * NULL, gets the charset a guess read it as, or NULL.
 */
static int
glossary_load(const char *dir, const char *term, char **data, size_t *len,
    struct stat *st, char **guessed, char **cause)
{
	struct source	 src;
	char		*path, *raw;
	size_t		 rawlen;
	int		 fd, rc;

	*data = NULL;
	*len = 0;
	if (guessed != NULL)
		*guessed = NULL;
	if ((rc = glossary_open(dir, term, &fd, st, cause)) != 0)
		return rc;
	path = xasprintf("%s/%s.html", dir, term);
	rc = util_read_fd(fd, path, GLOSSARY_MAX_ENTRY, &raw, &rawlen, st,
	    cause);
	if (rc == 0) {
		if (source_decode(&src, path, raw, rawlen, cause) == 0) {
			glossary_text(&src, data, len);
			if (guessed != NULL && src.guessed)
				*guessed = xstrdup(src.charset);
		} else
			rc = -1;
		source_free(&src);
	}
	free(path);
	return rc;
}

/*
 * Reads a term's entry from the first folder of dirs that has one (or
 * refuses it); *which gets that folder's index.
 */
static int
glossary_load_chain(char *const *dirs, size_t n, const char *term,
    char **data, size_t *len, struct stat *st, char **guessed, char **cause,
    size_t *which)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < n; i++) {
		if ((rc = glossary_load(dirs[i], term, data, len, st, guessed,
		    cause)) != 1) {
			*which = i;
			return rc;
		}
	}
	return 1;
}

/* Reads an entry by the rule, decoded to UTF-8. */
int
glossary_read(const char *dir, const char *term, char **data, size_t *len,
    struct stat *st, char **cause)
{
	return glossary_load(dir, term, data, len, st, NULL, cause);
}

/* Reads an entry from the first of the folders that has it. */
int
glossary_find(char *const *dirs, size_t n, const char *term, char **data,
    size_t *len, struct stat *st, char **cause)
{
	size_t	 which;

	return glossary_load_chain(dirs, n, term, data, len, st, NULL, cause,
	    &which);
}

/*
 * Says whether any of the glossary folders is there; warns about each that
 * is refused (when the deck uses a term). Returns how many can be read.
 */
static size_t
glossary_dirs_usable(struct deck *d, char *const *dirs, size_t n)
{
	char	*cause;
	size_t	 i, ok = 0;
	int	 fd;

	for (i = 0; i < n; i++) {
		if ((fd = glossary_dir_open(dirs[i])) != -1) {
			close(fd);
			ok++;
		} else if (errno != ENOENT && d->nterms > 0) {
			cause = glossary_dir_why(dirs[i], errno);
			diags_add(&d->diags, DIAG_WARNING, d->terms[0].line,
			    "glossary folder refused: %s", cause);
			free(cause);
		}
	}
	return ok;
}

/* Warns for the terms without a usable entry in any of the folders. */
size_t
glossary_check(struct deck *d, char *const *dirs, size_t n)
{
	struct stat	 st;
	char		*cause, *guessed, *data;
	size_t		 i, len, which, missing = 0;
	int		 rc;

	if (glossary_dirs_usable(d, dirs, n) == 0)
		return 0;
	for (i = 0; i < d->nterms; i++) {
		cause = guessed = NULL;
		if ((rc = glossary_load_chain(dirs, n, d->terms[i].term, &data,
		    &len, &st, &guessed, &cause, &which)) == 0) {
			if (guessed != NULL)
				diags_add(&d->diags, DIAG_WARNING,
				    d->terms[i].line, "the glossary entry "
				    "%s/%s.html is not UTF-8; it was read as %s "
				    "by a guess: save it as UTF-8 (or add a "
				    "#charset line) to be sure", dirs[which],
				    d->terms[i].term, guessed);
			free(guessed);
			free(data);
			continue;
		}
		if (rc == 1)
			diags_add(&d->diags, DIAG_WARNING, d->terms[i].line,
			    "glossary term '%s' has no entry (%s/%s.html)",
			    d->terms[i].term, dirs[0], d->terms[i].term);
		else
			diags_add(&d->diags, DIAG_WARNING, d->terms[i].line,
			    "glossary term '%s': entry refused: %s",
			    d->terms[i].term, cause);
		free(cause);
		missing++;
	}
	return missing;
}

/* Checks a deck's glossary entries, from its folder up levels folders, and its assets. */
void
glossary_check_deck(struct deck *d, const char *path, size_t levels,
    deck_is_page_fn *is_page)
{
	char	**dirs, *dir;
	size_t	 n, i;

	dirs = deck_glossary_dirs(path, levels, &n);
	glossary_check(d, dirs, n);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	dir = asset_dir(path);
	deck_check_assets(d, dir, is_page);
	free(dir);
}

/* Orders terms. */
static int
glossary_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the terms of the entries in a glossary folder, sorted; with all, the refused ones too. */
size_t
glossary_list(const char *dir, int all, char ***out)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		**v = NULL;
	size_t		 n = 0, len;
	int		 fd;

	*out = NULL;
	if ((fd = glossary_dir_open(dir)) == -1)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".html") != 0 ||
		    !expand_term_valid(de->d_name, len - 5) || (!all &&
		    (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) !=
		    0 || !S_ISREG(st.st_mode))))
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrndup(de->d_name, len - 5);
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof *v, glossary_cmp);
	*out = v;
	return n;
}
