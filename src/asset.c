/* asset.c: a deck's own files: path rules, content types, safe opening and byte ranges. */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "asset.h"
#include "util.h"

/* The policy of an SVG: its own styles and data: pictures, no script, no loads. */
#define ASSET_SVG_CSP	"default-src 'none'; style-src 'unsafe-inline'; " \
			"img-src data:; sandbox"
#define ASSET_TEXT	"text/plain; charset=UTF-8"
#define ASSET_BIG	((off_t)1 << 62)

#define ASSET_CSS	"text/css; charset=UTF-8"

/*
 * Content types by extension, for the two places files are served from: a
 * deck's folder (anything not listed, or listed without a type, is a
 * download) and the static directory (only what has a static type).
 */
static const struct {
	const char	*ext;
	const char	*type;		/* in a deck's folder */
	const char	*static_type;	/* in the static directory */
} asset_types[] = {
	{ "png", "image/png", "image/png" },
	{ "jpg", "image/jpeg", "image/jpeg" },
	{ "jpeg", "image/jpeg", NULL },
	{ "gif", "image/gif", NULL },
	{ "svg", "image/svg+xml", "image/svg+xml" },
	{ "webp", "image/webp", NULL },
	{ "avif", "image/avif", NULL },
	{ "ico", "image/x-icon", "image/x-icon" },
	{ "pdf", "application/pdf", NULL },
	{ "txt", ASSET_TEXT, ASSET_TEXT },
	{ "csv", "text/csv; charset=UTF-8", NULL },
	{ "css", ASSET_CSS, ASSET_CSS },
	/* A deck is not a script host: its scripts are text to read. */
	{ "js", ASSET_TEXT, "text/javascript; charset=UTF-8" },
	{ "mjs", ASSET_TEXT, NULL },
	/* Nor a web site: its pages are downloads. */
	{ "html", NULL, "text/html; charset=UTF-8" },
	{ "woff2", "font/woff2", "font/woff2" },
	{ "zip", "application/zip", NULL },
	{ "mp4", "video/mp4", NULL },
	{ "webm", "video/webm", NULL },
	{ "mp3", "audio/mpeg", NULL },
	{ "ogg", "audio/ogg", NULL },
};

/* Returns 1 for a byte allowed in an asset path segment. */
static int
asset_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Checks every segment of a relative path against the rules of asset.h. */
int
asset_path_valid(const char *p, size_t len)
{
	size_t	 i;
	int	 start = 1;

	if (len == 0 || len > ASSET_MAX_PATH)
		return 0;
	for (i = 0; i < len; i++) {
		if (p[i] == '/') {
			if (start)
				return 0;	/* empty segment */
			start = 1;
			continue;
		}
		if (!asset_char(p[i]) || (start && p[i] == '.'))
			return 0;
		start = 0;
	}
	return !start;
}

/* Looks the extension of the last segment up in the table. */
void
asset_type(const char *p, size_t len, struct asset_type *t)
{
	size_t	 i, e, elen;

	memset(t, 0, sizeof *t);
	t->type = "application/octet-stream";
	t->attachment = 1;
	for (e = len; e > 0 && p[e - 1] != '.' && p[e - 1] != '/'; e--)
		;
	if (e == 0 || p[e - 1] != '.')
		return;
	elen = len - e;
	for (i = 0; i < sizeof asset_types / sizeof asset_types[0]; i++) {
		if (asset_types[i].type != NULL &&
		    strlen(asset_types[i].ext) == elen &&
		    strncasecmp(asset_types[i].ext, p + e, elen) == 0) {
			t->type = asset_types[i].type;
			t->attachment = 0;
			if (strcmp(asset_types[i].ext, "svg") == 0)
				t->csp = ASSET_SVG_CSP;
			return;
		}
	}
}

/* Returns the type of a file of the static directory by its extension (case counts), or NULL. */
const char *
asset_static_type(const char *name, size_t len)
{
	size_t	 i, elen;

	for (i = 0; i < sizeof asset_types / sizeof asset_types[0]; i++) {
		elen = strlen(asset_types[i].ext);
		if (asset_types[i].static_type != NULL && len > elen + 1 &&
		    name[len - elen - 1] == '.' &&
		    memcmp(name + len - elen, asset_types[i].ext, elen) == 0)
			return asset_types[i].static_type;
	}
	return NULL;
}

/* Strips ".drf" from a deck's path. */
char *
asset_dir(const char *path)
{
	size_t	 len = strlen(path);

	if (len > 4 && strcmp(path + len - 4, ".drf") == 0)
		return xstrndup(path, len - 4);
	return xstrdup(path);
}

/* Says why a path could not be opened, as the end of a sentence. */
static const char *
asset_why(int e)
{
	switch (e) {
	case ENOENT:
		return "does not exist";
	case ELOOP:
		return "is a symbolic link";
	case ENOTDIR:
		return "is not a folder";
	default:
		return strerror(e);
	}
}

/* Opens the folder, then each component of rel below it, following no link. */
int
asset_open(const char *dir, const char *rel, size_t len, int *fd,
    struct stat *st, char **cause)
{
	char	*seg;
	size_t	 i, end;
	int	 cur, next, flags;

	*fd = -1;
	if (!asset_path_valid(rel, len)) {
		*cause = xasprintf("'%.*s' is not a valid asset name", (int)len,
		    rel);
		return -1;
	}
	cur = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cur == -1) {
		*cause = xasprintf("%s %s", dir, asset_why(errno));
		return -1;
	}
	for (i = 0; i < len; i = end + 1) {
		for (end = i; end < len && rel[end] != '/'; end++)
			;
		seg = xstrndup(rel + i, end - i);
		/* O_NONBLOCK: a FIFO must not hang the open; fstat refuses it below. */
		flags = end < len ? O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC :
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
		next = openat(cur, seg, flags);
		free(seg);
		close(cur);
		if (next == -1) {
			*cause = xasprintf("%s/%.*s %s", dir, (int)end, rel,
			    asset_why(errno));
			return -1;
		}
		cur = next;
	}
	if (fstat(cur, st) == -1 || !S_ISREG(st->st_mode)) {
		*cause = xasprintf("%s/%.*s is not a regular file", dir,
		    (int)len, rel);
		close(cur);
		return -1;
	}
	/* Reads should block as usual (they do for files; this is hygiene). */
	if ((flags = fcntl(cur, F_GETFL)) != -1)
		fcntl(cur, F_SETFL, flags & ~O_NONBLOCK);
	*fd = cur;
	return 0;
}

/*
 * The content hash of one version of a file, remembered so that serving a
 * file again costs a look-up, not a read. The key is what tells versions
 * apart on this machine; the tag itself is made of the content only, so it
 * is the same on every machine that serves the same bytes.
 */
struct asset_memo {
	struct util_stamp stamp;
	uint64_t	 hash;
	int		 used;
};

/* A small table, one version per slot: memory stays bounded whatever is served. */
#define ASSET_MEMO_SLOTS	256
#define ASSET_HASH_CHUNK	((size_t)64 << 10)

static struct asset_memo	 asset_memo[ASSET_MEMO_SLOTS];
static pthread_mutex_t		 asset_memo_lock = PTHREAD_MUTEX_INITIALIZER;

/* Returns the slot of a file's version in the table. */
static size_t
asset_memo_slot(const struct stat *st)
{
	uint64_t	 k[2] = { (uint64_t)st->st_dev, (uint64_t)st->st_ino };

	return (size_t)(util_hash(UTIL_HASH_INIT, k, sizeof k) %
	    ASSET_MEMO_SLOTS);
}


/* Hashes the whole content of an open file (util_hash) without moving its offset. */
static int
asset_hash_file(int fd, uint64_t *out, char **cause)
{
	unsigned char	*chunk;
	uint64_t	 h = UTIL_HASH_INIT;
	off_t		 at = 0;
	ssize_t		 n;

	chunk = xmalloc(ASSET_HASH_CHUNK);
	while ((n = pread(fd, chunk, ASSET_HASH_CHUNK, at)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*cause = xasprintf("cannot be read: %s",
			    strerror(errno));
			free(chunk);
			return -1;
		}
		h = util_hash(h, chunk, (size_t)n);
		at += n;
	}
	free(chunk);
	*out = h;
	return 0;
}

/* Looks the version up in the table, or hashes the file and remembers it. */
int
asset_etag(int fd, const struct stat *st, char *out, size_t size,
    char **cause)
{
	struct asset_memo	*m = &asset_memo[asset_memo_slot(st)];
	struct util_stamp	 want;
	struct stat		 after;
	uint64_t		 h;
	int			 found;

	util_stamp_set(&want, st);
	pthread_mutex_lock(&asset_memo_lock);
	found = m->used && util_stamp_same(&m->stamp, &want);
	h = m->hash;
	pthread_mutex_unlock(&asset_memo_lock);
	if (!found) {
		if (asset_hash_file(fd, &h, cause) != 0)
			return -1;
		/* Remember it only if the file did not change while it was read. */
		if (fstat(fd, &after) == 0 && util_stat_same(&after, st)) {
			pthread_mutex_lock(&asset_memo_lock);
			m->stamp = want;
			m->hash = h;
			m->used = 1;
			pthread_mutex_unlock(&asset_memo_lock);
		}
	}
	snprintf(out, size, "\"%016llx\"", (unsigned long long)h);
	return 0;
}

/* Parses digits into an offset, saturating far above any file size; -1 if none. */
static int
asset_number(const char **pp, off_t *out)
{
	const char	*p = *pp;
	off_t		 v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v <= ASSET_BIG / 10)
			v = v * 10 + (*p - '0');
		else
			v = ASSET_BIG;
	}
	*pp = p;
	*out = v > ASSET_BIG ? ASSET_BIG : v;
	return 0;
}

/* Reads one byte range of a file of size bytes. */
enum asset_range
asset_range(const char *h, off_t size, off_t *start, off_t *len)
{
	const char	*p;
	off_t		 a, b;

	if (h == NULL || size <= 0)
		return ASSET_RANGE_NONE;
	p = h;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "bytes=", 6) != 0 || strchr(p, ',') != NULL)
		return ASSET_RANGE_NONE;
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-') {
		p++;
		if (asset_number(&p, &b) != 0)
			return ASSET_RANGE_NONE;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0')
			return ASSET_RANGE_NONE;
		if (b == 0)
			return ASSET_RANGE_UNSATISFIABLE;
		if (b > size)
			b = size;
		*start = size - b;
		*len = b;
		return ASSET_RANGE_OK;
	}
	if (asset_number(&p, &a) != 0 || *p++ != '-')
		return ASSET_RANGE_NONE;
	b = -1;
	if (*p >= '0' && *p <= '9') {
		asset_number(&p, &b);
		if (b < a)
			return ASSET_RANGE_NONE;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return ASSET_RANGE_NONE;
	if (a >= size)
		return ASSET_RANGE_UNSATISFIABLE;
	if (b == -1 || b >= size)
		b = size - 1;
	*start = a;
	*len = b - a + 1;
	return ASSET_RANGE_OK;
}
