/* test-cache.c: the page cache: loading, change detection, last good version, bound. */
#include "config.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "util.h"
#include "tap.h"
#include "fixture.h"

static struct fixture	 fx;
static int		 logged;
static char		 lastlog[1024];

/* Remembers the last log line. */
static void
test_log(void *arg, const char *msg)
{
	(void)arg;
	logged++;
	snprintf(lastlog, sizeof lastlog, "%s", msg);
}

/* Writes a deck file with the given text, then sets its mtime to a fixed second. */
static void
write_deck(const char *name, const char *text, long sec, long nsec)
{
	char	*file = xasprintf("%s.drf", name);

	fx_put(&fx, file, text);
	fx_touch(&fx, file, sec, nsec);
	free(file);
}

/* Writes a deck of exactly size bytes (text, then filler lines), changed secs from now. */
static void
write_sized(const char *name, const char *text, size_t size, long secs)
{
	struct timespec	 now;
	struct buf	 b = BUF_INIT;
	char		*file = xasprintf("%s.drf", name);
	size_t		 n;

	buf_adds(&b, text);
	for (n = strlen(text); n < size; n++)
		buf_addc(&b, n + 1 == size || n % 64 == 63 ? '\n' : 'f');
	fx_put_bytes(&fx, file, b.data, b.len);
	clock_gettime(CLOCK_REALTIME, &now);
	fx_touch(&fx, file, now.tv_sec + secs, now.tv_nsec);
	buf_free(&b);
	free(file);
}

/* Overwrites bytes in place, keeping the size. */
static void
patch_deck(const char *name, long off, const char *bytes, long sec, long nsec)
{
	char	*file = xasprintf("%s.drf", name), *path = fx_path(&fx, file);
	FILE	*f;

	if ((f = fopen(path, "r+")) != NULL) {
		fseek(f, off, SEEK_SET);
		fputs(bytes, f);
		fclose(f);
	}
	fx_touch(&fx, file, sec, nsec);
	free(path);
	free(file);
}

/* Returns a copy of page n's HTML, or NULL when the deck does not load. */
static char *
page_html(struct cache *c, const char *name, size_t n)
{
	struct cache_deck	*cd;
	struct blob		*b;
	char			*err, *s;

	if (cache_get(c, name, &cd, &err) != CACHE_OK) {
		free(err);
		return NULL;
	}
	free(err);
	if (n >= cd->deck->npages) {
		cache_deck_release(cd);
		return NULL;
	}
	b = cache_page(c, cd, n);
	s = xstrndup(b->data, b->len);
	blob_release(b);
	cache_deck_release(cd);
	return s;
}

/* Checks that page 0 of a deck holds a text. */
static void
page_has(struct cache *c, const char *name, const char *want, const char *what)
{
	char	*s = page_html(c, name, 0);

	has_str(s, want, "%s", what);
	free(s);
}

/* Makes the case's decks directory and a cache of max_bytes over it (NULL on failure). */
static struct cache *
cache_setup_every(size_t max_bytes, unsigned interval_ms, const char *what)
{
	struct cache_config	 cfg;
	struct cache		*c = NULL;
	char			*err = NULL;

	if (fx_init(&fx, "cache") != 0) {
		ok(0, "%s: a decks directory", what);
		return NULL;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.decks_dir = fx.dir;
	cfg.templates_dir = fx.templates;
	cfg.max_bytes = max_bytes;
	cfg.stat_interval_ms = interval_ms;
	cfg.log = test_log;
	deck_limits_default(&cfg.limits);
	if (!ok(cache_create(&c, &cfg, &err) == 0, "%s", what))
		printf("#   %s\n", err != NULL ? err : "");
	free(err);
	return c;
}

/* Makes a cache that looks at the files at every request. */
static struct cache *
cache_setup(size_t max_bytes, const char *what)
{
	return cache_setup_every(max_bytes, 0, what);
}

/* Frees the case's cache and removes its decks directory. */
static void
cache_teardown(struct cache *c)
{
	cache_free(c);
	if (fx_done(&fx) != 0)
		printf("# the decks directory could not be removed\n");
}

struct worker_arg {
	struct cache	*c;
	int		 bad;
};

/* Reads pages in a loop; every answer must be one of the two versions. */
static void *
reader(void *arg)
{
	struct worker_arg	*w = arg;
	char			*s;
	int			 i;

	for (i = 0; i < 2000; i++) {
		s = page_html(w->c, "race", 0);
		if (s == NULL || (strstr(s, "version-A") == NULL &&
		    strstr(s, "version-B") == NULL))
			w->bad++;
		free(s);
	}
	return NULL;
}

/* Loads on demand, sees edits in place, keeps the last good version. */
static void
test_reload(void)
{
	struct cache_stats	 st;
	struct cache_deck	*cd, *old;
	struct cache		*c;
	char			*s, *err;

	if ((c = cache_setup(64 << 20, "cache starts with the templates")) == NULL)
		return;
	write_deck("a", "---\nhello-one\n", 1000000, 1);
	page_has(c, "a", "hello-one", "a deck is parsed on its first request");
	cache_stats(c, &st);
	is_int(st.loads, 1, "one load so far");
	s = page_html(c, "a", 0);
	free(s);
	cache_stats(c, &st);
	is_int(st.loads, 1, "an unchanged file is not parsed again");

	/* Same size, same second: only the nanoseconds differ. */
	patch_deck("a", 10, "two", 1000000, 2);
	page_has(c, "a", "hello-two", "an edit in place with the same size and second is seen");

	/* A broken new version: the last good one is served and the error logged. */
	write_deck("a", "---\nhello-three\n\xff\xfe\xff\n", 1000001, 0);
	logged = 0;
	ok(cache_get(c, "a", &cd, &err) == CACHE_OK,
	    "a deck that breaks keeps being served");
	ok(err != NULL && strstr(err, "a.drf:3:") != NULL,
	    "the error of the broken version names file and line");
	free(err);
	ok(cd != NULL && cd->deck->npages == 1 &&
	    strstr(cd->deck->pages[0].body, "hello-two") != NULL,
	    "the version served is the last good one");
	cache_deck_release(cd);
	ok(logged > 0 && strstr(lastlog, "a.drf:3:") != NULL,
	    "the broken version is logged with file:line");

	/* Fixed again. */
	write_deck("a", "---\nhello-four\n", 1000002, 0);
	page_has(c, "a", "hello-four", "a repaired deck is served again");

	/* A version held by a request survives a reload. */
	ok(cache_get(c, "a", &old, &err) == CACHE_OK, "holding a version");
	free(err);
	write_deck("a", "---\nhello-five\n", 1000003, 0);
	page_has(c, "a", "hello-five", "the reload happens while a version is held");
	ok(strstr(old->deck->pages[0].body, "hello-four") != NULL,
	    "the held version is intact after the reload");
	cache_deck_release(old);
	cache_teardown(c);
}

/*
 * Maybe half-saved: a whole number of 4 KiB blocks that changed just now is
 * what a reader sees between two pages of an in-place save.
 */
static void
test_half_saved(void)
{
	struct cache_deck	*cd;
	struct cache		*c;
	char			*err;

	if ((c = cache_setup(64 << 20, "a cache for half-saved decks")) == NULL)
		return;
	write_deck("a", "---\nhello-five\n", 1000003, 0);
	page_has(c, "a", "hello-five", "a deck is served before it changes");
	write_sized("a", "---\nhello-six\n", 4096, 0);
	page_has(c, "a", "hello-five", "a changed deck of 4096 bytes, a moment old, waits: the last version is served");
	write_sized("a", "---\nhello-six\n", 4096, -2);
	page_has(c, "a", "hello-six", "the same deck once it is 2 s old is loaded");
	write_sized("a", "---\nhello-seven\n", 4095, 0);
	page_has(c, "a", "hello-seven", "a deck of 4095 bytes, a moment old, is loaded at once");
	write_sized("a", "---\nhello-eight\n", 8192, 0);
	page_has(c, "a", "hello-seven", "8192 bytes a moment old: the last version is served");
	write_sized("n4k", "---\nnew-4k\n", 4096, 0);
	page_has(c, "n4k", "new-4k", "a new deck of 4096 bytes is loaded at once (nothing older to serve)");
	fx_remove(&fx, "n4k.drf");
	ok(cache_get(c, "n4k", &cd, &err) == CACHE_NOT_FOUND,
	    "that deck, deleted, is not found");
	free(err);
	cache_teardown(c);
}

/* Which sizes and times util_maybe_partial takes for a save in progress. */
static void
test_maybe_partial(void)
{
	struct timespec	 t;

	clock_gettime(CLOCK_REALTIME, &t);
	ok(util_maybe_partial(8192, &t) && util_maybe_partial(0, &t),
	    "util_maybe_partial: whole blocks changed now may be partial");
	ok(!util_maybe_partial(8191, &t) && !util_maybe_partial(1, &t),
	    "util_maybe_partial: other sizes are whole");
	t.tv_sec -= 2;
	ok(!util_maybe_partial(8192, &t),
	    "util_maybe_partial: whole blocks 2 s old are settled");
	t.tv_sec += 12;
	ok(!util_maybe_partial(8192, &t),
	    "util_maybe_partial: a time 10 s ahead is not waited for");
}

/* Deleted, broken, missing, invalid and linked names; the listing. */
static void
test_names(void)
{
	struct cache_stats	 st;
	struct cache_deck	*cd;
	struct cache		*c;
	char			*err, **names, name[32];
	size_t			 n, i;
	int			 k;

	if ((c = cache_setup(64 << 20, "a cache for names")) == NULL)
		return;
	/* Deleted: evicted and not found. */
	write_deck("a", "---\nhello\n", 1000000, 0);
	page_has(c, "a", "hello", "a deck to delete is served");
	fx_remove(&fx, "a.drf");
	ok(cache_get(c, "a", &cd, &err) == CACHE_NOT_FOUND,
	    "a deleted deck is not found");
	free(err);
	cache_stats(c, &st);
	is_int(st.decks, 0, "a deleted deck is evicted");

	/* A broken deck never loaded is reported as broken. */
	fx_put_bytes(&fx, "bad.drf", "---\nx\0y\n", 8);
	ok(cache_get(c, "bad", &cd, &err) == CACHE_BROKEN,
	    "a deck that never loaded is broken");
	ok(err != NULL && strstr(err, "bad.drf:2:") != NULL,
	    "its error names the line of the NUL byte");
	free(err);

	/* Missing names and invalid names do not grow the cache. */
	cache_stats(c, &st);
	n = st.decks;
	for (k = 0; k < 1000; k++) {
		snprintf(name, sizeof name, "missing%d", k);
		cache_get(c, name, &cd, &err);
		free(err);
	}
	ok(cache_get(c, "../etc/passwd", &cd, &err) == CACHE_NOT_FOUND,
	    "a name with a path in it is not found");
	free(err);
	cache_stats(c, &st);
	is_int(st.decks, n, "missing names do not grow the cache");

	/* Symbolic links are not followed. */
	fx_symlink(&fx, "/etc/hostname", "link.drf");
	ok(cache_get(c, "link", &cd, &err) == CACHE_NOT_FOUND,
	    "a symbolic link in the deck directory is not served");
	free(err);

	/* The listing has only valid deck files. */
	write_deck("b", "---\nb\n", 1000000, 0);
	n = cache_list(c, &names);
	is_int(n, 2, "the listing has the two regular decks");
	ok(n == 2 && strcmp(names[0], "b") == 0 && strcmp(names[1], "bad") == 0,
	    "the listing is sorted");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	cache_teardown(c);
}

/* The bound: many decks in a small cache keep it under its size. */
static void
test_bound(void)
{
	struct cache_stats	 st;
	struct cache		*c;
	struct buf		 big = BUF_INIT;
	char			*s, name[32];
	int			 k;

	if ((c = cache_setup(64 * 1024, "a small cache")) == NULL)
		return;
	buf_adds(&big, "---\n");
	for (k = 0; k < 300; k++)
		buf_adds(&big, "some text on the slide, some more text\n");
	for (k = 0; k < 40; k++) {
		snprintf(name, sizeof name, "d%d", k);
		write_deck(name, big.data, 1000000, 0);
		s = page_html(c, name, 0);
		free(s);
	}
	buf_free(&big);
	cache_stats(c, &st);
	ok(st.bytes <= 64 * 1024 + 32 * 1024,
	    "the cache stays near its bound (%zu bytes)", st.bytes);
	ok(st.evictions > 0, "least recently used decks were evicted");
	page_has(c, "d0", "some text", "an evicted deck loads again on demand");
	cache_teardown(c);
}

/* Concurrent readers while the deck is replaced: old or new, never an error. */
static void
test_race(void)
{
	struct worker_arg	 wa[4];
	struct cache		*c;
	pthread_t		 tid[4];
	char			*tmp, *dst;
	int			 k, before;

	if ((c = cache_setup(64 << 20, "a cache for the race")) == NULL)
		return;
	write_deck("race", "---\nversion-A\n", 1000000, 0);
	before = logged;
	for (k = 0; k < 4; k++) {
		wa[k].c = c;
		wa[k].bad = 0;
		pthread_create(&tid[k], NULL, reader, &wa[k]);
	}
	tmp = fx_path(&fx, "race.tmp");
	dst = fx_path(&fx, "race.drf");
	for (k = 0; k < 50; k++) {
		fx_put(&fx, "race.tmp", k % 2 ? "---\nversion-A\n" : "---\nversion-B!\n");
		rename(tmp, dst);
		usleep(1000);
	}
	free(tmp);
	free(dst);
	for (k = 0; k < 4; k++)
		pthread_join(tid[k], NULL);
	ok(wa[0].bad + wa[1].bad + wa[2].bad + wa[3].bad == 0,
	    "readers see a whole old or new version while the deck is replaced");
	/* Saving by a rename is not an error, nor a file changing while read. */
	if (!ok(logged == before, "replacing the deck by renames logs nothing"))
		printf("#   %d messages, the last: %s\n", logged - before, lastlog);
	cache_teardown(c);
}

/* A thread reading a file over and over while another replaces it. */
struct read_arg {
	char	*path;
	int	 stop;
	int	 reads;
	int	 bad;
	char	*cause;		/* why the first refused read was refused */
};

/* Reads the file until told to stop; every read must be one whole version. */
static void *
file_reader(void *arg)
{
	struct read_arg	*r = arg;
	struct stat	 st;
	char		*data, *cause;
	size_t		 len;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (util_read_file_st(r->path, 1, 1 << 20, &data, &len, &st,
		    &cause) != 0) {
			if (r->cause == NULL)
				r->cause = cause;
			else
				free(cause);
			r->bad++;
		} else {
			if (strcmp(data, "version-A\n") != 0 &&
			    strcmp(data, "version-B!\n") != 0)
				r->bad++;
			free(data);
		}
		__atomic_add_fetch(&r->reads, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * A file replaced by a rename while it is read loses its name, which
 * changes its link count and change time, not its bytes: the read is
 * whole and taken, not refused as a file changing under the reader.
 */
static void
test_replaced_read(void)
{
	struct read_arg	 r;
	pthread_t	 tid;
	char		*tmp;
	int		 k;

	if (fx_init(&fx, "replace") != 0) {
		ok(0, "a directory for the replaced file");
		return;
	}
	memset(&r, 0, sizeof r);
	r.path = fx_path(&fx, "f.drf");
	tmp = fx_path(&fx, "f.tmp");
	fx_put(&fx, "f.drf", "version-A\n");
	pthread_create(&tid, NULL, file_reader, &r);
	/* Enough renames, and enough reads among them, on a busy machine too. */
	for (k = 0; k < 100000 && (k < 2000 ||
	    __atomic_load_n(&r.reads, __ATOMIC_ACQUIRE) < 2000); k++) {
		fx_put(&fx, "f.tmp", k % 2 ? "version-A\n" : "version-B!\n");
		rename(tmp, r.path);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(tid, NULL);
	if (!ok(r.bad == 0, "a file renamed over while it is read is read whole "
	    "(%d renames, %d reads)", k, r.reads))
		printf("#   %d refused or mixed, the first: %s\n", r.bad,
		    r.cause != NULL ? r.cause : "mixed");
	free(r.cause);
	free(r.path);
	free(tmp);
	if (fx_done(&fx) != 0)
		printf("# the directory could not be removed\n");
}

/* Requests pages of a deck larger than the bound, each thread its share. */
static void *
big_reader(void *arg)
{
	struct worker_arg	*w = arg;
	char			*s;
	int			 i;

	for (i = 0; i < 20; i++) {
		s = page_html(w->c, "big", (size_t)i);
		if (s == NULL || strstr(s, "big text") == NULL)
			w->bad++;
		free(s);
	}
	return NULL;
}

/* Writes a deck of npages pages of lines lines each, page k labelled "label-TAG-k". */
static void
write_pages(const char *name, const char *title, const char *tag, int npages,
    int lines)
{
	struct buf	 b = BUF_INIT;
	int		 k, l;

	buf_printf(&b, "notes of %s\n#title %s\n", name, title);
	for (k = 0; k < npages; k++) {
		buf_printf(&b, "--- label-%s-%d\n", tag, k);
		for (l = 0; l < lines; l++)
			buf_adds(&b, "big text on the slide, and some more text\n");
	}
	write_deck(name, b.data, 1000000, 0);
	buf_free(&b);
}

/* Says whether page n of a deck is the same document when asked twice (kept, not rendered again). */
static int
same_page_blob(struct cache *c, const char *name, size_t n)
{
	struct cache_deck	*cd;
	struct blob		*a, *b;
	char			*err;
	int			 same;

	if (cache_get(c, name, &cd, &err) != CACHE_OK) {
		free(err);
		return 0;
	}
	free(err);
	a = cache_page(c, cd, n);
	b = cache_page(c, cd, n);
	same = a == b;
	blob_release(a);
	blob_release(b);
	cache_deck_release(cd);
	return same;
}

/* A deck larger than the bound is kept while it is the one being served, and parsed once. */
static void
test_oversized(void)
{
	struct worker_arg	 wa[4];
	struct cache_stats	 st;
	struct cache		*c;
	pthread_t		 tid[4];
	size_t			 held = 0;
	char			*s;
	int			 k, n;

	if ((c = cache_setup(64 * 1024, "a cache smaller than a deck")) == NULL)
		return;
	write_pages("big", "Big", "big", 40, 300);	/* 480 KiB of pages */
	write_deck("small", "---\nsmall\n", 1000000, 0);
	for (n = 0; n < 2; n++) {
		for (k = 0; k < 40; k++) {
			s = page_html(c, "big", (size_t)k);
			free(s);
			if (n == 0 && k == 0) {
				cache_stats(c, &st);
				held = st.bytes;
			}
		}
	}
	cache_stats(c, &st);
	is_int(st.loads, 1, "a deck larger than the bound is parsed once for 80 page requests");
	ok(st.bytes > 64 * 1024 && st.bytes <= held + 64 * 1024 / 4,
	    "it is held, with at most a quarter of the bound of its pages "
	    "(%zu bytes, %zu after one page)", st.bytes, held);
	ok(same_page_blob(c, "big", 0),
	    "the first page it rendered is kept: asked again, it is not rendered again");
	ok(!same_page_blob(c, "big", 39),
	    "a page past that allowance is rendered for each request");
	page_has(c, "small", "small", "another deck is served");
	cache_stats(c, &st);
	ok(st.bytes <= 64 * 1024, "the large deck gave way (%zu bytes)", st.bytes);
	for (k = 0; k < 4; k++) {
		wa[k].c = c;
		wa[k].bad = 0;
		pthread_create(&tid[k], NULL, big_reader, &wa[k]);
	}
	for (k = 0; k < 4; k++)
		pthread_join(tid[k], NULL);
	ok(wa[0].bad + wa[1].bad + wa[2].bad + wa[3].bad == 0,
	    "four threads get its pages");
	cache_stats(c, &st);
	is_int(st.loads, 3, "four concurrent readers of it parse it once");
	cache_teardown(c);
}

/* Returns a copy of the index. */
static char *
index_html(struct cache *c)
{
	struct blob	*b = cache_index(c, NULL, NULL, NULL, RENDER_SERVED);
	char		*s = xstrndup(b->data, b->len);

	blob_release(b);
	return s;
}

/* The index comes from summaries made once per version, and holds no deck. */
static void
test_index(void)
{
	struct cache_stats	 st;
	struct cache		*c;
	char			 name[32], title[32], *s;
	int			 k, all = 1;

	if ((c = cache_setup(64 * 1024, "a cache for the index")) == NULL)
		return;
	for (k = 0; k < 30; k++) {
		snprintf(name, sizeof name, "d%d", k);
		snprintf(title, sizeof title, "Title %d", k);
		write_pages(name, title, name, 3, 50);
	}
	s = index_html(c);
	for (k = 0; k < 30; k++) {
		snprintf(title, sizeof title, "Title %d<", k);
		snprintf(name, sizeof name, "label-d%d-2<", k);
		all &= s != NULL && strstr(s, title) != NULL &&
		    strstr(s, name) != NULL;
	}
	ok(all, "the index shows every deck's title and page labels");
	free(s);
	cache_stats(c, &st);
	is_int(st.loads, 30, "the first index parses each deck once");
	is_int(st.summaries, 30, "for its summary alone");
	is_int(st.bytes, 0, "and holds none of the decks");
	s = index_html(c);
	free(s);
	page_has(c, "d5", "big text", "a deck of the index is served");
	s = index_html(c);
	free(s);
	cache_stats(c, &st);
	is_int(st.loads, 31, "later indexes parse nothing (one load for the page)");
	write_pages("d7", "New title", "d7", 4, 50);
	s = index_html(c);
	has_str(s, "New title<", "an edited deck's new title is in the index");
	free(s);
	fx_put_bytes(&fx, "d8.drf", "---\nx\0y\n", 8);
	s = index_html(c);
	has_str(s, "Title 8<", "a deck that breaks is listed as its last good version");
	free(s);
	cache_stats(c, &st);
	is_int(st.loads, 33, "each changed deck is parsed once");
	cache_teardown(c);
}

/* Returns a copy of a course's index. */
static char *
course_html(struct cache *c, const char *course)
{
	struct blob	*b = cache_course_index(c, course, NULL, NULL, NULL,
			    RENDER_SERVED);
	char		*s = xstrndup(b->data, b->len);

	blob_release(b);
	return s;
}

/* A course's index: from summaries, kept until a deck or folder changes. */
static void
test_course_index(void)
{
	struct cache_stats	 st;
	struct cache		*c;
	struct blob		*b1, *b2;
	char			*s;

	if ((c = cache_setup(64 * 1024, "a cache for course indexes")) == NULL)
		return;
	fx_mkdir(&fx, "uni");
	fx_mkdir(&fx, "uni/net");
	fx_mkdir(&fx, "uni/pics");
	write_pages("top", "Top deck", "top", 2, 5);
	write_pages("uni/net/w02", "Week two", "w02", 2, 5);
	write_pages("uni/net/w01", "Week one", "w01", 2, 5);
	fx_put(&fx, "uni/pics/a.png", "not a deck");
	ok(cache_course(c, "uni") && cache_course(c, "uni/net") &&
	    !cache_course(c, "uni/pics") && !cache_course(c, "nope"),
	    "a folder with a deck at some depth is a course; one of pictures is not");
	s = course_html(c, "uni/net");
	ok(s != NULL && strstr(s, "Week one") != NULL && strstr(s, "Week two") != NULL &&
	    strstr(s, "Week one") < strstr(s, "Week two") && strstr(s, "Top deck") == NULL,
	    "a course's index lists its own decks, in name order");
	free(s);
	s = index_html(c);
	ok(s != NULL && strstr(s, "href=\"uni/\"") != NULL && strstr(s, "Week one") == NULL &&
	    strstr(s, "pics") == NULL, "the top lists the course, not its decks");
	free(s);
	cache_stats(c, &st);
	is_int(st.summaries, 3, "each deck was parsed once, for its summary alone");
	is_int(st.bytes, 0, "and no deck is held");
	b1 = cache_course_index(c, "uni/net", NULL, NULL, NULL, RENDER_SERVED);
	b2 = cache_course_index(c, "uni/net", NULL, NULL, NULL, RENDER_SERVED);
	ok(b1 == b2, "an unchanged course's index is not rendered again");
	blob_release(b2);
	write_pages("uni/net/w03", "Week three", "w03", 2, 5);
	b2 = cache_course_index(c, "uni/net", NULL, NULL, NULL, RENDER_SERVED);
	ok(b1 != b2 && memmem(b2->data, b2->len, "Week three", 10) != NULL,
	    "a deck added to the course renders its index again, with it");
	blob_release(b1);
	blob_release(b2);
	cache_stats(c, &st);
	is_int(st.loads, 4, "and parses only the new deck");
	cache_teardown(c);
}

/* Checks the title a cache gives a course. */
static void
title_is(struct cache *c, const char *course, const char *want,
    const char *what)
{
	char	*t = cache_course_title(c, course);

	is_str(t, want, "%s", what);
	free(t);
}

/*
 * A course's title, for the view of its decks and its search page, comes
 * from the look at the folders taken once per stat interval: its
 * course.txt is read once then, not at every request.
 */
static void
test_course_titles(void)
{
	struct cache	*c;
	char		**v;
	size_t		 n;

	c = cache_setup_every(64 << 20, 3600000, "a cache that looks once an hour");
	if (c == NULL)
		return;
	fx_mkdir(&fx, "uni");
	fx_mkdir(&fx, "uni/net");
	write_pages("uni/net/w01", "Week one", "w01", 2, 5);
	fx_put(&fx, "uni/course.txt", "University\n");
	fx_put(&fx, "uni/net/course.txt", "# a comment\nNetworks 1\n\nA course.\n");
	title_is(c, "uni/net", "Networks 1", "a course's title is its course.txt's");
	fx_put(&fx, "uni/net/course.txt", "Networks 2\n");
	title_is(c, "uni/net", "Networks 1",
	    "within the stat interval the title is not read again");
	n = cache_course_titles(c, "uni/net", &v);
	ok(n == 2 && strcmp(v[0], "University") == 0 &&
	    strcmp(v[1], "Networks 1") == 0,
	    "the titles on the way down are those of the same look");
	while (n > 0)
		free(v[--n]);
	free(v);
	cache_teardown(c);
	if ((c = cache_setup(64 << 20, "a cache that looks at every request")) == NULL)
		return;
	fx_mkdir(&fx, "uni");
	write_pages("uni/w01", "Week one", "w01", 2, 5);
	fx_put(&fx, "uni/course.txt", "Networks 1\n");
	title_is(c, "uni", "Networks 1", "a course at the top");
	fx_put(&fx, "uni/course.txt", "Networks 2, a longer title\n");
	title_is(c, "uni", "Networks 2, a longer title",
	    "a new look reads a changed course.txt");
	fx_put(&fx, "uni/course.txt", "# no title\n");
	title_is(c, "uni", "uni", "without a title, the folder's name");
	cache_teardown(c);
}

/* Writes release folder rN: deck d (and e in r2), the glossary entry of t, a file of d. */
static void
write_release(int n)
{
	char	*path;

	path = xasprintf("r%d", n);
	fx_mkdir(&fx, path);
	free(path);
	path = xasprintf("r%d/glossary", n);
	fx_mkdir(&fx, path);
	free(path);
	path = xasprintf("r%d/d.drf", n);
	fx_put(&fx, path, n == 1 ? "---\nrelease-one\n" : "---\nrelease-two\n");
	free(path);
	path = xasprintf("r%d/glossary/t.html", n);
	fx_put(&fx, path, n == 1 ? "gloss-one\n" : "gloss-two\n");
	free(path);
	if (n == 2)
		fx_put(&fx, "r2/e.drf", "---\nonly in two\n");
}

/* Points the root link "decks" at target in one rename, as release tools do. */
static int
flip_root(const char *target)
{
	char	*next = fx_path(&fx, "next"), *root = fx_path(&fx, "decks");
	int	 rc;

	unlink(next);
	rc = symlink(target, next) == 0 && rename(next, root) == 0 ? 0 : -1;
	free(next);
	free(root);
	return rc;
}

/* Returns whether version cd's glossary entry of t holds want. */
static int
gloss_is(struct cache *c, const struct cache_deck *cd, const char *want)
{
	char	*data = NULL;
	size_t	 len;
	time_t	 mtime;
	int	 rc;

	rc = cache_glossary(c, cd, "t", &data, &len, &mtime) == 0 &&
	    strstr(data, want) != NULL;
	free(data);
	return rc;
}

/* A decks root that is a link flipped to another release: each version keeps its own. */
static void
test_release_flip(void)
{
	struct cache_config	 cfg;
	struct cache_deck	*one = NULL, *two = NULL, *three = NULL;
	struct cache		*c = NULL;
	char			*err = NULL, **names, *from, *to;
	size_t			 n, i;

	if (!ok(fx_init(&fx, "flip") == 0, "a directory for the releases"))
		return;
	write_release(1);
	write_release(2);
	ok(flip_root("r1") == 0, "the root links to release 1");
	memset(&cfg, 0, sizeof cfg);
	cfg.decks_dir = fx_path(&fx, "decks");
	cfg.templates_dir = fx.templates;
	cfg.max_bytes = 64 << 20;
	cfg.log = test_log;
	deck_limits_default(&cfg.limits);
	if (!ok(cache_create(&c, &cfg, &err) == 0, "a cache over the link"))
		goto out;
	ok(cache_get(c, "d", &one, &err) == CACHE_OK && one != NULL &&
	    strstr(one->deck->pages[0].body, "release-one") != NULL,
	    "release 1's deck");
	free(err);
	ok(gloss_is(c, one, "gloss-one"), "with release 1's glossary");
	is_int(cache_list(c, &names), 1, "release 1 lists one deck");
	free(names[0]);
	free(names);

	ok(flip_root("r2") == 0, "the link flipped to release 2");
	page_has(c, "d", "release-two", "the next look is release 2's deck");
	ok(cache_get(c, "d", &two, &err) == CACHE_OK && two != one &&
	    strcmp(two->root->dir, one->root->dir) != 0, "a version of its own folder");
	free(err);
	ok(gloss_is(c, two, "gloss-two"), "release 2's version reads release 2's glossary");
	ok(gloss_is(c, one, "gloss-one"),
	    "the version of release 1 still held reads release 1's glossary, not the link's");
	n = cache_list(c, &names);
	ok(n == 2 && strcmp(names[1], "e") == 0, "release 2 lists its two decks");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);

	/* The same files (hard links: same inode and time) in a new folder. */
	fx_mkdir(&fx, "r3");
	from = fx_path(&fx, "r2/d.drf");
	to = fx_path(&fx, "r3/d.drf");
	ok(link(from, to) == 0, "release 3 holds release 2's deck file itself");
	free(from);
	free(to);
	ok(flip_root("r3") == 0, "the link flipped to release 3");
	ok(cache_get(c, "d", &three, &err) == CACHE_OK && three != two &&
	    strstr(three->root->dir, "r3") != NULL,
	    "an unchanged file in a new release is the new release's version");
	free(err);
	ok(!gloss_is(c, three, "gloss-two"),
	    "... whose glossary is release 3's (none), not release 2's");

	logged = 0;
	ok(flip_root("nothere") == 0, "the link flipped to a folder that is not there");
	page_has(c, "d", "release-two", "the last folder that resolved keeps serving");
	ok(logged == 1 && strstr(lastlog, "serving") != NULL && strstr(lastlog, "r3") != NULL,
	    "the dangling link is logged once, with the folder still served");
	page_has(c, "d", "release-two", "... again");
	is_int(logged, 1, "and not logged again");
out:
	cache_deck_release(one);
	cache_deck_release(two);
	cache_deck_release(three);
	cache_free(c);
	free((char *)cfg.decks_dir);
	if (fx_done(&fx) != 0)
		printf("# the releases could not be removed\n");
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_reload),
	TAP_CASE(test_half_saved),
	TAP_CASE(test_maybe_partial),
	TAP_CASE(test_names),
	TAP_CASE(test_bound),
	TAP_CASE(test_race),
	TAP_CASE(test_replaced_read),
	TAP_CASE(test_oversized),
	TAP_CASE(test_index),
	TAP_CASE(test_course_index),
	TAP_CASE(test_course_titles),
	TAP_CASE(test_release_flip),
};

int
main(void)
{
	return tap_run_cases(cases);
}
