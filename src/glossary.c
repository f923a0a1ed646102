/* glossary.c: reading glossary entries without following links, within one size limit. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset.h"
#include "deck.h"
#include "diag.h"
#include "glossary.h"
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

/* Reads an entry by the rule. */
int
glossary_read(const char *dir, const char *term, char **data, size_t *len,
    struct stat *st, char **cause)
{
	char	*path;
	int	 fd, rc;

	*data = NULL;
	*len = 0;
	if ((rc = glossary_open(dir, term, &fd, st, cause)) != 0)
		return rc;
	path = xasprintf("%s/%s.html", dir, term);
	rc = util_read_fd(fd, path, GLOSSARY_MAX_ENTRY, data, len, st, cause);
	free(path);
	return rc;
}

/* Warns for the terms without a usable entry. */
size_t
glossary_check(struct deck *d, const char *dir)
{
	struct stat	 st;
	char		*cause;
	size_t		 i, missing = 0;
	int		 fd, rc;

	if ((fd = glossary_dir_open(dir)) == -1) {
		if (errno != ENOENT && d->nterms > 0) {
			cause = glossary_dir_why(dir, errno);
			diags_add(&d->diags, DIAG_WARNING, d->terms[0].line,
			    "glossary folder refused: %s", cause);
			free(cause);
			return d->nterms;
		}
		return 0;
	}
	close(fd);
	for (i = 0; i < d->nterms; i++) {
		cause = NULL;
		if ((rc = glossary_open(dir, d->terms[i].term, &fd, &st,
		    &cause)) == 0) {
			close(fd);
			continue;
		}
		if (rc == 1)
			diags_add(&d->diags, DIAG_WARNING, d->terms[i].line,
			    "glossary term '%s' has no entry (%s/%s.html)",
			    d->terms[i].term, dir, d->terms[i].term);
		else
			diags_add(&d->diags, DIAG_WARNING, d->terms[i].line,
			    "glossary term '%s': entry refused: %s",
			    d->terms[i].term, cause);
		free(cause);
		missing++;
	}
	return missing;
}

/* Checks a deck's glossary entries and assets. */
void
glossary_check_deck(struct deck *d, const char *path, deck_is_page_fn *is_page)
{
	char	*dir;

	dir = deck_glossary_dir(path);
	glossary_check(d, dir);
	free(dir);
	dir = asset_dir(path);
	deck_check_assets(d, dir, is_page);
	free(dir);
}
