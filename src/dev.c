/* dev.c: what only the dev server answers: the live-reload token and the author's error page. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "glossary.h"
#include "route.h"
#include "router.h"
#include "source.h"
#include "util.h"

/*
 * Folds the state of every file of an open folder into h (and closes it),
 * without following a symbolic link; the order of the entries does not count.
 */
static uint64_t
dev_hash_fd(uint64_t h, int dfd)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	uint64_t	 v[4], f;

	if (dfd == -1)
		return h ^ 0x9e3779b97f4a7c15ULL;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return h ^ 0x9e3779b97f4a7c15ULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		v[0] = (uint64_t)st.st_ino;
		v[1] = (uint64_t)st.st_size;
		v[2] = (uint64_t)st.st_mtim.tv_sec;
		v[3] = (uint64_t)st.st_mtim.tv_nsec;
		/*
		 * A file that may be half-saved is not loaded until it
		 * settles (util_maybe_partial): the token changes again
		 * then, so the page reloads once more and shows it.
		 */
		if (S_ISREG(st.st_mode) &&
		    util_maybe_partial(st.st_size, &st.st_mtim))
			v[3] ^= (uint64_t)1 << 63;
		f = util_hash(UTIL_HASH_INIT, v, sizeof v);
		h += util_hash(f, de->d_name, strlen(de->d_name));
	}
	closedir(d);
	return h;
}

/* Opens a folder inside the decks folder, not following a symbolic link. */
static int
dev_open_inside(const char *decks, const char *name)
{
	char	*dir;
	int	 fd;

	dir = xasprintf("%s/%s", decks, name);
	fd = glossary_dir_open(dir);
	free(dir);
	return fd;
}

/*
 * Answers the live-reload poll with a token that changes whenever a deck or
 * template changes (as the cache sees them), or a glossary entry (of the
 * top or of a course), static file or deck asset does.
 */
void
dev_live(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	uint64_t	 h;
	char		**names, **courses, *g;
	size_t		 n, nc, i;

	(void)req;
	(void)arg;
	h = cache_watch(a->cache);
	h = dev_hash_fd(h * 31, dev_open_inside(a->decks_dir, "glossary"));
	n = cache_list_tree(a->cache, &names, &courses, &nc);
	for (i = 0; i < n; i++) {
		h = dev_hash_fd(h * 31, dev_open_inside(a->decks_dir,
		    names[i]));
		free(names[i]);
	}
	for (i = 0; i < nc; i++) {
		g = xasprintf("%s/glossary", courses[i]);
		h = dev_hash_fd(h * 31, dev_open_inside(a->decks_dir, g));
		free(g);
		free(courses[i]);
	}
	free(names);
	free(courses);
	h = dev_hash_fd(h * 31, open(a->static_dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC));
	buf_printf(&r->buf, "%016llx", (unsigned long long)h);
	r->status = 200;
	r->content_type = "text/plain; charset=UTF-8";
	r->cache_control = "no-store";
	r->body = r->buf.data;
	r->len = r->buf.len;
}

/* Adds to pad what keeps a '^' under column col, for byte c at offset off. */
static void
dev_error_pad(struct buf *pad, size_t off, size_t col, char c)
{
	if (off + 1 >= col)
		return;
	if (c == '\t')
		buf_addc(pad, '\t');
	else if (((unsigned char)c & 0xc0) != 0x80)
		buf_addc(pad, ' ');
}

/*
 * Returns the failing line of a deck error, numbered, for the error page
 * (escaped there), or NULL. Bytes that are not UTF-8 and NUL bytes show as
 * '?'. When the failure has a column, a second line puts a '^' under it.
 */
static char *
dev_error_line(const struct deck_error *fe)
{
	struct buf	 b = BUF_INIT, pad = BUF_INIT;
	const char	*line;
	size_t		 len, i, bad, off = 0;

	if (fe == NULL || fe->text == NULL || fe->dg.line == 0)
		return NULL;
	buf_printf(&b, "%5lu | ", fe->dg.line);
	buf_adds(&pad, "\n      | ");
	line = fe->text;
	i = fe->textlen;
	while (i > 0) {
		if (source_valid_utf8(line, i, &bad))
			bad = i;
		for (len = 0; len < bad; len++, off++) {
			dev_error_pad(&pad, off, fe->dg.col, line[len]);
			buf_addc(&b, line[len] == '\0' ? '?' : line[len]);
		}
		if (bad < i) {
			dev_error_pad(&pad, off++, fe->dg.col, '?');
			buf_addc(&b, '?');
			bad++;
		}
		line += bad;
		i -= bad;
	}
	if (fe->dg.col > 0 && fe->dg.col <= fe->textlen) {
		buf_addc(&pad, '^');
		buf_add(&b, pad.data, pad.len);
	}
	buf_free(&pad);
	return buf_detach(&b, NULL);
}

/*
 * Answers with the author's error: 500 and, as the detail, the
 * file:line: message (the author's words, not the interface's) above the
 * failing line, numbered.
 */
void
dev_error(struct app *a, const struct request *req, struct response *r,
    const char *err, const struct deck_error *fe)
{
	char	*line, *detail;

	line = dev_error_line(fe);
	detail = xasprintf("%s%s%s", err, line != NULL ? "\n" : "",
	    line != NULL ? line : "");
	response_error_detail(a, req, r, 500, "e_deck_errors", detail);
	free(detail);
	free(line);
}
