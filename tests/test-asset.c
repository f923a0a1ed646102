/* test-asset.c: unit tests for asset paths, types, opening, ranges and the references of pages. */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset.h"
#include "buf.h"
#include "deck.h"
#include "refs.h"
#include "tap.h"
#include "fixture.h"
#include "util.h"

/* A function of one name or value: its input, the answer it must give, what that shows. */
struct str_case {
	const char	*in;
	const char	*want;
	const char	*desc;
};

/* Checks a function on every row of a table. */
static void
check_fn(const char *(*fn)(const char *), const struct str_case *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		is_str(fn(c[i].in), c[i].want, "%s", c[i].desc);
}

#define check_table(fn, c)	check_fn((fn), (c), sizeof(c) / sizeof((c)[0]))

/* Checks asset_path_valid on a C string. */
static int
valid(const char *p)
{
	return asset_path_valid(p, strlen(p));
}

static void
test_paths(void)
{
	static const char *const good[] = {
		"fig1.gif", "img/a.png", "a/b/c.d.e", "A-Z_09.PNG", "x", "a.",
		"scene-01.svg", "_hidden-not.png",
	};
	static const char *const bad[] = {
		"", "/a.png", "a.png/", "a//b.png", ".hidden", "img/.git",
		"..", "../a.png", "a/../b", ".", "./a.png", "a b.png", "a%20b",
		"a\\b", "a?b", "a#b", "a:b", "caf\xc3\xa9.png", "a\nb",
	};
	char	 big[ASSET_MAX_PATH + 2];
	size_t	 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(valid(good[i]), "asset path '%s' is valid", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!valid(bad[i]), "asset path '%s' is refused", bad[i]);
	ok(!asset_path_valid("a\0b", 3), "asset path with a NUL is refused");
	ok(asset_path_valid("ab/c", 2), "only len bytes are read");
	memset(big, 'a', sizeof big);
	ok(asset_path_valid(big, ASSET_MAX_PATH), "a path of the longest length is valid");
	ok(!asset_path_valid(big, ASSET_MAX_PATH + 1), "a longer path is refused");
}

/* Returns the type of a name. */
static struct asset_type
type(const char *p)
{
	struct asset_type	 t;

	asset_type(p, strlen(p), &t);
	return t;
}

/* Returns the type of a name, the Content-Type a deck's file is sent with. */
static const char *
mime(const char *p)
{
	return type(p).type;
}

static void
test_types(void)
{
	static const struct str_case types[] = {
		{ "a.png", "image/png", "png is image/png" },
		{ "a.JPG", "image/jpeg", "JPG (upper case) is image/jpeg" },
		{ "a.jpeg", "image/jpeg", "jpeg is image/jpeg" },
		{ "img/a.gif", "image/gif", "gif is image/gif" },
		{ "a.webp", "image/webp", "webp is image/webp" },
		{ "a.pdf", "application/pdf", "pdf is application/pdf" },
		{ "a.txt", "text/plain; charset=UTF-8", "txt is text/plain" },
		{ "a.js", "text/plain; charset=UTF-8",
		    "js is text/plain: a deck is not a script host" },
		{ "a.svg", "image/svg+xml", "svg is image/svg+xml" },
		{ "a.bin", "application/octet-stream",
		    "unknown is application/octet-stream" },
	};
	static const struct str_case attachments[] = {
		{ "a.bin", NULL, "unknown is an attachment" },
		{ "README", NULL, "no extension is an attachment" },
		{ "png", NULL, "a name that is only an extension word is an attachment" },
		{ "d.png/x", NULL, "an extension of a folder does not count" },
	};
	size_t	 i;

	check_table(mime, types);
	ok(type("a.svg").csp != NULL && strstr(type("a.svg").csp, "default-src 'none'") &&
	    strstr(type("a.svg").csp, "sandbox"), "svg has a CSP with default-src 'none' and sandbox");
	ok(type("a.png").csp == NULL && !type("a.png").attachment, "png has no CSP and is inline");
	for (i = 0; i < sizeof attachments / sizeof attachments[0]; i++)
		ok(type(attachments[i].in).attachment, "%s", attachments[i].desc);
	ok(type("a.html").attachment && strcmp(type("a.html").type,
	    "application/octet-stream") == 0, "html in a deck's folder is a download");
}

/* Returns the static type of a name, or "none". */
static const char *
stype(const char *p)
{
	const char	*t = asset_static_type(p, strlen(p));

	return t != NULL ? t : "none";
}

static void
test_static_types(void)
{
	static const struct str_case types[] = {
		{ "drfslides.css", "text/css; charset=UTF-8",
		    "static: css is text/css" },
		{ "slide.js", "text/javascript; charset=UTF-8",
		    "static: js is text/javascript (our own scripts)" },
		{ "x.html", "text/html; charset=UTF-8", "static: html is text/html" },
		{ "f.woff2", "font/woff2", "static: woff2 is font/woff2" },
		{ "a.png", "image/png", "static: png is image/png" },
		{ "a.jpeg", "none", "static: jpeg is not served" },
		{ "a.drf", "none", "static: a deck is not served" },
		{ "A.CSS", "none", "static: the case of the extension counts" },
		{ ".css", "none",
		    "static: a name that is only an extension is not served" },
		{ "css", "none", "static: no dot, no type" },
		{ "a.xcss", "none", "static: the extension is whole, not a suffix" },
	};

	check_table(stype, types);
}

/* Runs asset_range on a header for size bytes; formats the result. */
static const char *
range(const char *h, off_t size)
{
	static char	 out[64];
	off_t		 s = -1, n = -1;

	switch (asset_range(h, size, &s, &n)) {
	case ASSET_RANGE_NONE:
		return "none";
	case ASSET_RANGE_UNSATISFIABLE:
		return "416";
	case ASSET_RANGE_OK:
		snprintf(out, sizeof out, "%lld+%lld", (long long)s, (long long)n);
		return out;
	}
	return "?";
}

/* A Range header for a file of size bytes, and asset_range's answer. */
struct range_case {
	const char	*h;
	off_t		 size;
	const char	*want;
	const char	*desc;
};

static void
test_ranges(void)
{
	static const struct range_case ranges[] = {
		{ NULL, 100, "none", "no Range: the whole file" },
		{ "bytes=0-9", 100, "0+10", "bytes=0-9" },
		{ "bytes=10-", 100, "10+90", "bytes=10-" },
		{ "bytes=-10", 100, "90+10", "bytes=-10" },
		{ "bytes=-1000", 100, "0+100",
		    "a suffix longer than the file is the file" },
		{ "bytes=90-1000", 100, "90+10", "an end past the file is cut" },
		{ "bytes=99-99", 100, "99+1", "the last byte" },
		{ "bytes=100-", 100, "416", "a start at the size is 416" },
		{ "bytes=200-300", 100, "416", "a start past the end is 416" },
		{ "bytes=-0", 100, "416", "a suffix of 0 is 416" },
		{ "bytes=5-1", 100, "none", "an end before the start is ignored" },
		{ "bytes=0-1,5-6", 100, "none", "several ranges are ignored" },
		{ "items=0-1", 100, "none", "another unit is ignored" },
		{ "bytes=", 100, "none", "an empty range is ignored" },
		{ "bytes=-", 100, "none", "a lone '-' is ignored" },
		{ "bytes=a-b", 100, "none", "letters are ignored" },
		{ "bytes=1-2x", 100, "none", "trailing junk is ignored" },
		{ "BYTES=0-0", 100, "0+1", "the unit's case does not matter" },
		{ "bytes=0-99999999999999999999999", 100, "0+100",
		    "a huge end is cut to the file" },
		{ "bytes=99999999999999999999999-", 100, "416",
		    "a huge start is 416, not an overflow" },
		{ "bytes=-99999999999999999999999", 100, "0+100",
		    "a huge suffix is the file" },
		{ "bytes=0-0", 0, "none", "an empty file is sent whole" },
	};
	size_t	 i;

	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		is_str(range(ranges[i].h, ranges[i].size), ranges[i].want, "%s",
		    ranges[i].desc);
}

/* Collects refs_scan's values, '|'-separated. */
static void
collect(void *arg, const char *v, size_t len)
{
	struct buf	*b = arg;

	if (b->len > 0)
		buf_addc(b, '|');
	buf_add(b, v, len);
}

/* Scans HTML; returns the values found. */
static const char *
scan(const char *html)
{
	static struct buf	 b = BUF_INIT;

	buf_reset(&b);
	refs_scan(html, strlen(html), collect, &b);
	return b.data == NULL ? "" : b.data;
}

/* The servers' answer for this test's deck: digits and "print" are pages. */
static int
routes(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++)
		;
	return (len > 0 && i == len) || (len == 5 && memcmp(p, "print", 5) == 0);
}


/* Classifies one value; returns its path or "-". */
static const char *
rel(const char *v)
{
	static struct buf	 b = BUF_INIT;

	if (refs_relative(v, strlen(v), &b) != 0)
		return "-";
	return b.data;
}

static void
test_refs(void)
{
	static const struct str_case rels[] = {
		{ "fig1.gif", "fig1.gif", "a plain name is relative" },
		{ "img/a.png?v=2#top", "img/a.png", "query and fragment are cut" },
		{ " a%20b.png ", "a b.png", "blanks trimmed and %XX decoded" },
		{ "./x/./y.png", "x/y.png", "'.' segments are dropped" },
		{ "../x.png", "../x.png", "'..' is kept for the caller" },
		{ "%2e%2e/x.png", "../x.png", "an encoded '..' is decoded" },
		{ "a%00.png", "a%00.png", "an encoded NUL stays written" },
		{ "http://x/a.png", "-", "http: is not relative" },
		{ "JavaScript:parent.display.openglossary(\"a.html\")", "-",
		    "JavaScript: is not relative" },
		{ "mailto:a@b", "-", "mailto: is not relative" },
		{ "data:image/png;base64,AA", "-", "data: is not relative" },
		{ "//host/a.png", "-", "//host is not relative" },
		{ "/a.png", "-", "an absolute path is not relative" },
		{ "#top", "-", "a fragment is not a file" },
		{ "?page=2", "-", "a query is not a file" },
		{ "", "-", "empty is not a file" },
		{ "a/b:c.png", "a/b:c.png", "a ':' after a '/' is no scheme" },
	};

	static const struct str_case scans[] = {
		{ "<img src=\"a.png\" alt=x>", "a.png", "src in double quotes" },
		{ "<IMG SRC='b.gif'>", "b.gif", "SRC in single quotes, upper case" },
		{ "<img src=c.jpg>", "c.jpg", "an unquoted value ends at '>'" },
		{ "<img src = d.png alt=y>", "d.png",
		    "blanks around '=' and an unquoted value" },
		{ "<a href=\"x.pdf\">x</a> <img/src=\"y.png\">", "x.pdf|y.png",
		    "two attributes, one after '/'" },
		{ "<img data-src=\"no.png\" srcset=\"no2.png\">", "",
		    "data-src and srcset are not src" },
		{ "src=\"line.png\"", "line.png",
		    "an attribute at the start of a line" },
		{ "the word href alone", "", "a word without '=' is no attribute" },
		{ "<img src=\"open.png", "open.png",
		    "an unclosed quote runs to the end of the line" },
	};

	check_table(scan, scans);
	check_table(rel, rels);
}

static void
test_open(void)
{
	struct fixture	 fx;
	char		*p, *cause = NULL;
	struct stat	 st;
	int		 fd;

	if (fx_init(&fx, "asset") != 0) {
		ok(0, "mkdtemp");
		return;
	}
	fx_mkdir(&fx, "d");
	fx_mkdir(&fx, "d/sub");
	ok(fx_put(&fx, "d/sub/a.png", "PNG") == 0, "made a file");
	fx_put(&fx, "outside.png", "");
	ok(fx_symlink(&fx, "../outside.png", "d/link.png") == 0, "made a symlink");
	ok(fx_symlink(&fx, "sub", "d/linkdir") == 0, "made a symlinked folder");
	p = fx_path(&fx, "d/fifo");
	ok(mkfifo(p, 0644) == 0, "made a FIFO");
	free(p);

	p = fx_path(&fx, "d");
	ok(asset_open(p, "sub/a.png", 9, &fd, &st, &cause) == 0 && st.st_size == 3,
	    "asset_open opens sub/a.png");
	if (fd >= 0)
		close(fd);
	ok(asset_open(p, "link.png", 8, &fd, &st, &cause) == -1 && fd == -1,
	    "a symlink is refused");
	has_str(cause, "symbolic link", "... and the cause says so");
	free(cause);
	ok(asset_open(p, "linkdir/a.png", 13, &fd, &st, &cause) == -1,
	    "a symlinked folder is refused");
	free(cause);
	ok(asset_open(p, "fifo", 4, &fd, &st, &cause) == -1, "a FIFO is refused without hanging");
	free(cause);
	ok(asset_open(p, "sub", 3, &fd, &st, &cause) == -1, "a folder is refused");
	free(cause);
	ok(asset_open(p, "nope.png", 8, &fd, &st, &cause) == -1, "a missing file is refused");
	has_str(cause, "does not exist", "... and the cause says it does not exist");
	free(cause);
	ok(asset_open(p, "../outside.png", 14, &fd, &st, &cause) == -1, "'..' is refused");
	free(cause);
	free(p);
	p = fx_path(&fx, "nodir");
	ok(asset_open(p, "a.png", 5, &fd, &st, &cause) == -1, "a missing folder is refused");
	free(cause);
	free(p);

	ok(fx_done(&fx) == 0, "cleaned up");
}

static void
test_deck(void)
{
	struct deck	*d;
	char		*cause = NULL, *src;

	src = xstrdup("#title t\n#header <img src=\"logo.png\" alt=\"\">\n"
	    "--- one\n<img src=\"fig1.gif\" alt=\"a\"> <a href=\"3\">3</a>\n"
	    "<a href='t2.html'>t2</a> <a href=\"print\">p</a>\n"
	    "<a href=\"http://x/y.png\">x</a><a href=\"../up.png\">u</a>\n");
	if (deck_parse(&d, "t.drf", src, strlen(src), NULL, &cause) != 0) {
		ok(0, "deck_parse: %s", cause);
		free(cause);
		return;
	}
	is_int(d->nrefs, 6, "the deck keeps its 6 relative references");
	if (d->nrefs == 6) {
		is_str(d->refs[0].path, "logo.png", "the header's reference");
		is_int(d->refs[0].line, 2, "... on the #header line");
		is_str(d->refs[1].path, "fig1.gif", "a page's reference");
		is_int(d->refs[1].line, 4, "... on its line");
		is_str(d->refs[5].path, "../up.png", "the '..' reference is kept");
	}
	ok(deck_ref_is_page(d, "3", routes) && deck_ref_is_page(d, "t2.html",
	    routes) && deck_ref_is_page(d, "print", routes),
	    "links to pages are not assets");
	ok(!deck_ref_is_page(d, "fig1.gif", routes) &&
	    !deck_ref_is_page(d, "t.html", routes) &&
	    !deck_ref_is_page(d, "t2x.html", routes), "other names are assets");
	ok(deck_ref_is_page(d, "t2.html", NULL) && !deck_ref_is_page(d, "3",
	    NULL), "without the servers' routes, only the 2001 names are pages");
	is_int(deck_check_assets(d, "/nonexistent-folder", routes), 3,
	    "deck_check_assets: logo.png, fig1.gif missing; ../up.png leaves");
	deck_free(d);
}

/* Writes a file of n bytes at dir/name (made anew: a new inode); returns 0 or -1. */
static int
put(const char *dir, const char *name, const char *data, size_t n)
{
	char	*p = xasprintf("%s/%s", dir, name);
	int	 fd, rc = -1;

	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && write(fd, data, n) == (ssize_t)n)
		rc = 0;
	if (fd >= 0)
		close(fd);
	free(p);
	return rc;
}

/* Opens dir/name and writes its ETag into tag; returns 0 or -1. */
static int
tag_of(const char *dir, const char *name, char *tag, size_t size,
    struct stat *st)
{
	char	*cause = NULL;
	int	 fd, rc;

	if (asset_open(dir, name, strlen(name), &fd, st, &cause) != 0) {
		printf("# %s\n", cause);
		free(cause);
		return -1;
	}
	rc = asset_etag(fd, st, tag, size, &cause);
	if (rc != 0)
		free(cause);
	close(fd);
	return rc;
}

/*
 * ETags come from the content: two copies made at different times, with
 * other inodes and times, have the same tag; other bytes give another.
 */
static void
test_etag(void)
{
	char		 d1[] = "/tmp/test-asset.XXXXXX", d2[] = "/tmp/test-asset.XXXXXX";
	char		 e1[24], e2[24], e3[24], big[200001], *p;
	struct stat	 s1, s2;
	struct timespec	 ts[2] = { { 1000000000, 5 }, { 1000000000, 5 } };
	size_t		 i;

	if (mkdtemp(d1) == NULL || mkdtemp(d2) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	for (i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7 + i / 251);
	ok(put(d1, "a.png", "PNG data", 8) == 0 && put(d1, "big.bin", big,
	    sizeof big) == 0, "etag: made the files of the first copy");
	/* The second copy is written later, with its own inodes and a time set apart. */
	ok(put(d2, "keep.png", "x", 1) == 0 && put(d2, "a.png", "PNG data", 8) == 0 &&
	    put(d2, "big.bin", big, sizeof big) == 0, "etag: made the second copy");
	p = xasprintf("%s/a.png", d2);
	ok(utimensat(AT_FDCWD, p, ts, 0) == 0, "etag: the second copy has another time");
	free(p);

	ok(tag_of(d1, "a.png", e1, sizeof e1, &s1) == 0 &&
	    tag_of(d2, "a.png", e2, sizeof e2, &s2) == 0, "etag: both copies tagged");
	ok(s1.st_ino != s2.st_ino && s1.st_mtim.tv_sec != s2.st_mtim.tv_sec,
	    "etag: the copies differ in inode and time");
	is_str(e2, e1, "etag: the same content in two copies has the same ETag");
	ok(strlen(e1) == 18 && e1[0] == '"' && e1[17] == '"' &&
	    strspn(e1 + 1, "0123456789abcdef") == 16, "etag: quoted, 16 hex digits");
	ok(tag_of(d1, "big.bin", e1, sizeof e1, &s1) == 0 &&
	    tag_of(d2, "big.bin", e2, sizeof e2, &s2) == 0, "etag: big files tagged");
	is_str(e2, e1, "etag: the same content over several reads has the same ETag");
	/* One byte changed in the last, short word: another tag. */
	big[sizeof big - 1] ^= 1;
	ok(put(d2, "big.bin", big, sizeof big) == 0 &&
	    tag_of(d2, "big.bin", e3, sizeof e3, &s2) == 0, "etag: a changed copy tagged");
	ok(strcmp(e1, e3) != 0, "etag: one byte changed gives another ETag");
	/* Rewritten in place, same size, same inode: the table must not answer. */
	ok(tag_of(d1, "a.png", e1, sizeof e1, &s1) == 0, "etag: tagged before the change");
	p = xasprintf("%s/a.png", d1);
	i = 0;
	{
		int	 fd = open(p, O_WRONLY);

		if (fd >= 0 && pwrite(fd, "GIF", 3, 0) == 3)
			i = 1;
		if (fd >= 0)
			close(fd);
	}
	free(p);
	ok(i == 1 && tag_of(d1, "a.png", e2, sizeof e2, &s2) == 0 &&
	    s2.st_ino == s1.st_ino, "etag: the file changed in place");
	ok(strcmp(e1, e2) != 0, "etag: a file changed in place gets another ETag");
	ok(put(d1, "empty", "", 0) == 0 && tag_of(d1, "empty", e1, sizeof e1, &s1) == 0 &&
	    put(d2, "empty2", "", 0) == 0 && tag_of(d2, "empty2", e2, sizeof e2, &s2) == 0 &&
	    strcmp(e1, e2) == 0, "etag: empty files have one ETag");
	p = xasprintf("rm -rf '%s' '%s'", d1, d2);
	ok(system(p) == 0, "etag: cleaned up");
	free(p);
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_paths),
	TAP_CASE(test_types),
	TAP_CASE(test_static_types),
	TAP_CASE(test_ranges),
	TAP_CASE(test_refs),
	TAP_CASE(test_open),
	TAP_CASE(test_etag),
	TAP_CASE(test_deck),
};

int
main(void)
{
	return tap_run_cases(cases);
}
