/* position.c: the presenter's position per deck, in a state directory shared by the workers or in memory. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deck.h"
#include "paths.h"
#include "position.h"
#include "util.h"

/* A position kept in memory, without a state directory. */
struct position_mem {
	char			*deck;
	struct position		 pos;
	struct position_mem	*next;
};

struct position_store {
	char			*dir;		/* NULL: memory */
	pthread_mutex_t		 lock;		/* for mem */
	struct position_mem	*mem;
};

/* Names a deck's position file: one file of the directory, even for a deck in a course folder. */
static char *
position_path(const struct position_store *ps, const char *deck)
{
	char	*flat, *path;

	flat = deck_flat_name(deck);
	path = xasprintf("%s/%s.position", ps->dir, flat);
	free(flat);
	return path;
}

/* Creates a store; a state directory must exist and be writable now. */
int
position_store_create(struct position_store **out, const char *dir,
    char **cause)
{
	struct position_store	*ps;
	struct stat		 st;

	*out = NULL;
	if (dir != NULL && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(dir, W_OK | X_OK) != 0)) {
		*cause = xasprintf("--state-dir: '%s' is not a directory this "
		    "user can write", dir);
		return -1;
	}
	ps = xcalloc(1, sizeof *ps);
	ps->dir = dir == NULL ? NULL : xstrdup(dir);
	pthread_mutex_init(&ps->lock, NULL);
	*out = ps;
	return 0;
}

/* Frees a store (its files stay). */
void
position_store_free(struct position_store *ps)
{
	struct position_mem	*m, *next;

	if (ps == NULL)
		return;
	for (m = ps->mem; m != NULL; m = next) {
		next = m->next;
		free(m->deck);
		free(m);
	}
	pthread_mutex_destroy(&ps->lock);
	free(ps->dir);
	free(ps);
}

/* Parses "PAGE STEP\n"; returns -1 for anything else. */
static int
position_parse(const char *s, size_t len, struct position *pos)
{
	const char	*sp = memchr(s, ' ', len), *nl;

	if (sp == NULL || (nl = memchr(sp, '\n', len - (size_t)(sp - s))) == NULL)
		return -1;
	if (util_parse_ulong(s, (size_t)(sp - s), (unsigned long)-1,
	    &pos->page) != 0 || util_parse_ulong(sp + 1, (size_t)(nl - sp - 1),
	    POSITION_MAX_STEP, &pos->step) != 0)
		return -1;
	return 0;
}

/* Reads a deck's position from its file, or from memory. */
void
position_get(struct position_store *ps, const char *deck, struct position *pos)
{
	struct position_mem	*m;
	struct stat		 st;
	char			*path, text[64];
	ssize_t			 n;
	int			 fd;

	memset(pos, 0, sizeof *pos);
	if (ps->dir == NULL) {
		pthread_mutex_lock(&ps->lock);
		for (m = ps->mem; m != NULL && strcmp(m->deck, deck) != 0;
		    m = m->next)
			;
		if (m != NULL)
			*pos = m->pos;
		pthread_mutex_unlock(&ps->lock);
		return;
	}
	path = position_path(ps, deck);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return;
	/* The file is replaced whole, never written in place: one read sees one version. */
	n = read(fd, text, sizeof text);
	if (n > 0 && fstat(fd, &st) == 0 &&
	    position_parse(text, (size_t)n, pos) == 0)
		pos->mtime = st.st_mtime;
	else
		memset(pos, 0, sizeof *pos);
	close(fd);
}

/* Sets a deck's position in memory. */
static void
position_set_mem(struct position_store *ps, const char *deck,
    const struct position *pos)
{
	struct position_mem	*m;

	pthread_mutex_lock(&ps->lock);
	for (m = ps->mem; m != NULL && strcmp(m->deck, deck) != 0; m = m->next)
		;
	if (m == NULL) {
		m = xcalloc(1, sizeof *m);
		m->deck = xstrdup(deck);
		m->next = ps->mem;
		ps->mem = m;
	}
	m->pos = *pos;
	pthread_mutex_unlock(&ps->lock);
}

/* Sets a deck's position: a new file written beside the old one, then renamed over it. */
int
position_set(struct position_store *ps, const char *deck, unsigned long page,
    unsigned long step, char **cause)
{
	struct position	 pos;
	char		*path, *text;
	int		 rc;

	pos.page = page;
	pos.step = step;
	pos.mtime = time(NULL);
	if (ps->dir == NULL) {
		position_set_mem(ps, deck, &pos);
		return 0;
	}
	path = position_path(ps, deck);
	text = xasprintf("%lu %lu\n", page, step);
	rc = paths_write_file(path, text, strlen(text), cause);
	free(path);
	free(text);
	return rc;
}
