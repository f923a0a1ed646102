/* dev.c: what only the dev server answers: the live-reload token and the author's error page. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "route.h"
#include "router.h"
#include "source.h"
#include "util.h"

/* Folds the state of every file of a directory into a hash. */
static uint64_t
dev_hash_dir(uint64_t h, const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;
	uint64_t	 v[4], f;
	size_t		 i;

	if ((d = opendir(dir)) == NULL)
		return h ^ 0x9e3779b97f4a7c15ULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0) {
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
			/* Order-independent: readdir's order may change. */
			f = 0xcbf29ce484222325ULL;
			for (i = 0; i < sizeof v; i++) {
				f ^= ((unsigned char *)v)[i];
				f *= 0x100000001b3ULL;
			}
			for (i = 0; de->d_name[i] != '\0'; i++) {
				f ^= (unsigned char)de->d_name[i];
				f *= 0x100000001b3ULL;
			}
			h += f;
		}
		free(path);
	}
	closedir(d);
	return h;
}

/* Folds in the asset folder of every deck (its top level: pictures being drawn). */
static uint64_t
dev_hash_assets(uint64_t h, const char *decks)
{
	struct dirent	*de;
	DIR		*d;
	char		*dir;
	size_t		 len;

	if ((d = opendir(decks)) == NULL)
		return h;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 4 ||
		    strcmp(de->d_name + len - 4, ".drf") != 0)
			continue;
		dir = xasprintf("%s/%.*s", decks, (int)(len - 4), de->d_name);
		h = dev_hash_dir(h, dir);
		free(dir);
	}
	closedir(d);
	return h;
}

/*
 * Answers the live-reload poll with a token that changes whenever a deck,
 * glossary entry, template, static file or top-level asset changes.
 */
void
dev_live(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	uint64_t	 h = 0;
	char		*gdir;

	(void)req;
	(void)arg;
	gdir = xasprintf("%s/glossary", a->decks_dir);
	h = dev_hash_dir(h, a->decks_dir);
	h = dev_hash_assets(h * 31, a->decks_dir);
	h = dev_hash_dir(h * 31, gdir);
	h = dev_hash_dir(h * 31, a->templates_dir);
	h = dev_hash_dir(h * 31, a->static_dir);
	free(gdir);
	buf_printf(&r->buf, "%016llx", (unsigned long long)h);
	r->status = 200;
	r->content_type = "text/plain; charset=UTF-8";
	r->cache_control = "no-store";
	r->body = r->buf.data;
	r->len = r->buf.len;
}

/*
 * Returns the line an author error names ("file:LINE: ..."), numbered, for
 * the error page; bytes that are not UTF-8 are shown as '?'.
 */
static char *
dev_error_line(const char *err, const struct deck_limits *limits)
{
	struct source_iter	 it;
	struct buf		 b = BUF_INIT;
	const char		*colon, *line;
	char			*path, *data, *cause;
	unsigned long		 want, no;
	size_t			 len, i, bad;

	colon = strchr(err, ':');
	if (colon == NULL)
		return NULL;
	i = strspn(colon + 1, "0123456789");
	if (i == 0 || colon[1 + i] != ':' ||
	    util_parse_ulong(colon + 1, i, 0xffffffffUL, &want) != 0)
		return NULL;
	path = xstrndup(err, (size_t)(colon - err));
	if (util_read_file_nofollow(path, limits->max_source, &data, &len,
	    &cause) != 0) {
		free(cause);
		free(path);
		return NULL;
	}
	free(path);
	source_iter_init(&it, data, len);
	while (source_next_line(&it, &line, &i, &no) == 0) {
		if (no != want)
			continue;
		buf_printf(&b, "%5lu | ", no);
		while (i > 0) {
			if (source_valid_utf8(line, i, &bad)) {
				bad = i;
			}
			for (len = 0; len < bad; len++)
				buf_addc(&b, line[len] == '\0' ? '?' : line[len]);
			if (bad < i) {
				buf_addc(&b, '?');
				bad++;
			}
			line += bad;
			i -= bad;
		}
		break;
	}
	free(data);
	if (b.len == 0)
		return NULL;
	return buf_detach(&b, NULL);
}

/* Answers with the author's error: 500 and the failing line, numbered. */
void
dev_error(struct app *a, const struct request *req, struct response *r,
    const char *err)
{
	char	*line;

	line = dev_error_line(err, &a->limits);
	response_error_detail(a, req, r, 500, err, line);
	free(line);
}
