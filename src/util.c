/* util.c: allocation wrappers and small helpers used throughout drfslides. */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Allocates n bytes or aborts. */
void *
xmalloc(size_t n)
{
	void	*p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		abort();
	return p;
}

/* Allocates a zeroed array or aborts. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
	if (p == NULL)
		abort();
	return p;
}

/* Resizes an array of n elements of size bytes, checking for overflow. */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	void	*np;

	if (size != 0 && n > SIZE_MAX / size)
		abort();
	np = realloc(p, n * size == 0 ? 1 : n * size);
	if (np == NULL)
		abort();
	return np;
}

/* Duplicates a string or aborts. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Duplicates the first n bytes of s as a NUL-terminated string. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Formats into a new allocation. */
char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		abort();
	return s;
}

/* Formats into a new allocation. */
char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* Accepts only plain digits: no sign, no blanks, no base prefix, no exponent. */
int
util_parse_ulong(const char *s, size_t len, unsigned long max,
    unsigned long *out)
{
	unsigned long	 v = 0;
	size_t		 i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (unsigned long)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Returns the value of a hexadecimal digit, or -1. */
int
util_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Accepts a number with an optional k, M or G suffix (powers of 1024). */
int
util_parse_size(const char *s, size_t *out)
{
	size_t		 len = strlen(s), shift = 0;
	unsigned long	 v;

	if (len > 0) {
		switch (s[len - 1]) {
		case 'k': case 'K': shift = 10; len--; break;
		case 'm': case 'M': shift = 20; len--; break;
		case 'g': case 'G': shift = 30; len--; break;
		}
	}
	if (util_parse_ulong(s, len, (unsigned long)(SIZE_MAX >> shift), &v) != 0)
		return -1;
	*out = (size_t)v << shift;
	return 0;
}

/*
 * Asks for huge pages for a large allocation about to be filled: a deck of
 * tens of megabytes otherwise takes a page fault every 4 KiB. Only a hint;
 * the memory is the same either way.
 */
void
util_hint_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t	 start, end;
	long		 pg;

	if (len < ((size_t)4 << 20) || (pg = sysconf(_SC_PAGESIZE)) <= 0)
		return;
	start = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	end = ((uintptr_t)p + len) & ~((uintptr_t)pg - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/*
 * Says whether a file's bytes stayed as they were between two stats of an
 * open descriptor: a write moves the size or the modification time. The
 * change time is not compared: it also moves when the file loses its name,
 * as when a saved copy is renamed over it (how careful editors and deploys
 * save) while it is read, which leaves its bytes whole.
 */
static int
util_read_unchanged(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Reads an open regular file of at most max bytes; closes fd. */
int
util_read_fd(int fd, const char *path, size_t max, char **data, size_t *len,
    struct stat *stp, char **cause)
{
	struct stat	 st, st2;
	char		*buf;
	size_t		 have = 0;
	ssize_t		 n;

	if (fstat(fd, &st) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((uintmax_t)st.st_size > max) {
		*cause = xasprintf("%s: file is %jd bytes, over the limit of %zu "
		    "bytes", path, (intmax_t)st.st_size, max);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	util_hint_huge(buf, (size_t)st.st_size + 1);
	for (;;) {
		/* Read one byte past the stat size to notice a file that grew. */
		n = read(fd, buf + have, (size_t)st.st_size + 1 - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have == (size_t)st.st_size + 1)
			break;
	}
	/*
	 * A writer in the middle of saving shows as a size or time that moved
	 * while we read (the size grows a page at a time): what was read may be
	 * a prefix of the new text, so it is refused rather than taken as a
	 * shorter file.
	 */
	if (have != (size_t)st.st_size || fstat(fd, &st2) == -1 ||
	    !util_read_unchanged(&st, &st2)) {
		*cause = xasprintf("%s: file changed while being read", path);
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	buf[have] = '\0';
	*data = buf;
	*len = have;
	if (stp != NULL)
		*stp = st2;
	return 0;
}

/* Opens a file with extra flags and reads it. */
static int
util_read_flags(const char *path, int flags, size_t max, char **data,
    size_t *len, struct stat *stp, char **cause)
{
	int	 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | flags);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return util_read_fd(fd, path, max, data, len, stp, cause);
}

/* Reads a regular file, following symbolic links. */
int
util_read_file(const char *path, size_t max, char **data, size_t *len,
    char **cause)
{
	return util_read_flags(path, 0, max, data, len, NULL, cause);
}

/* Reads a regular file that is not a symbolic link. */
int
util_read_file_nofollow(const char *path, size_t max, char **data,
    size_t *len, char **cause)
{
	return util_read_flags(path, O_NOFOLLOW, max, data, len, NULL, cause);
}

/* Reads a regular file, following a final symbolic link or not, and says what was read. */
int
util_read_file_st(const char *path, int nofollow, size_t max, char **data,
    size_t *len, struct stat *st, char **cause)
{
	return util_read_flags(path, nofollow ? O_NOFOLLOW : 0, max, data, len,
	    st, cause);
}

/*
 * Tells whether a file may be in the middle of a save. An editor that
 * writes in place truncates the file and writes it again, and the kernel
 * grows a file being written one page at a time: a reader that looks between
 * two pages sees a shorter file, consistent in itself, of a size that is a
 * whole number of 4 KiB blocks (writers that buffer write such blocks too).
 * So a file of such a size that changed in the last UTIL_SETTLE_MS is not
 * taken yet when an older version can be used instead; a file of any other
 * size, or one that has been left alone that long, is whole.
 */
int
util_maybe_partial(off_t size, const struct timespec *mtim)
{
	struct timespec	 now;
	long long	 age;

	if (size % 4096 != 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &now);
	age = ((long long)now.tv_sec - (long long)mtim->tv_sec) * 1000 +
	    ((long long)now.tv_nsec - (long long)mtim->tv_nsec) / 1000000;
	/* A little in the future too: a file server's clock may run ahead. */
	return age > -UTIL_SETTLE_MS && age < UTIL_SETTLE_MS;
}

/*
 * Reads the wall clock's seconds exactly. time() may not: on Linux it reads
 * a copy the kernel updates once a tick, up to a few milliseconds behind the
 * clock that other programs (nginx) read, across a second's boundary too.
 */
time_t
util_now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

/* Reads the monotonic clock. */
unsigned long long
util_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 +
	    (unsigned long long)ts.tv_nsec / 1000000;
}

/* Folds bytes into a 64-bit FNV-1a hash. */
uint64_t
util_hash(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Takes a file's stamp from its stat. */
void
util_stamp_set(struct util_stamp *s, const struct stat *st)
{
	memset(s, 0, sizeof *s);
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtim = st->st_mtim;
	s->ctim = st->st_ctim;
}

/* Compares two stamps. */
int
util_stamp_same(const struct util_stamp *a, const struct util_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtim.tv_sec == b->mtim.tv_sec &&
	    a->mtim.tv_nsec == b->mtim.tv_nsec &&
	    a->ctim.tv_sec == b->ctim.tv_sec &&
	    a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/* Compares two stats by their stamps. */
int
util_stat_same(const struct stat *a, const struct stat *b)
{
	struct util_stamp	 sa, sb;

	util_stamp_set(&sa, a);
	util_stamp_set(&sb, b);
	return util_stamp_same(&sa, &sb);
}
