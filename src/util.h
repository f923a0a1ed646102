/* util.h: allocation wrappers and small string helpers shared by every module. */
#ifndef DRF_UTIL_H
#define DRF_UTIL_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct stat;

/*
 * Allocation failure is not an input error: every input is bounded by an
 * explicit limit long before memory runs out, so these wrappers abort()
 * rather than make every caller handle a condition that cannot be tested.
 */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Parses a whole decimal number in [0, max]; returns -1 if s is anything else. */
int	 util_parse_ulong(const char *s, size_t len, unsigned long max,
	     unsigned long *out);

/* Returns the value of a hexadecimal digit, or -1. */
int	 util_hex(char);

/* Parses a size such as 64, 64k, 64M or 1G (bytes); returns -1 on error. */
int	 util_parse_size(const char *s, size_t *out);

/* Reads a whole regular file into a NUL-terminated allocation of at most max bytes. */
void	 util_hint_huge(void *, size_t);
int	 util_read_file(const char *path, size_t max, char **data, size_t *len,
	     char **cause);
/* The same, but a symbolic link in the last component is refused. */
int	 util_read_file_nofollow(const char *path, size_t max, char **data,
	     size_t *len, char **cause);
/* Either of the two, also giving the state of the file that was read (st may be NULL). */
int	 util_read_file_st(const char *path, int nofollow, size_t max,
	     char **data, size_t *len, struct stat *st, char **cause);

/* The same for a file already open (and opened O_NONBLOCK if it may be a FIFO); closes fd. */
int	 util_read_fd(int fd, const char *path, size_t max, char **data,
	     size_t *len, struct stat *st, char **cause);

/*
 * The one hash of the program, 64-bit FNV-1a: start from UTIL_HASH_INIT and
 * fold in bytes. Not for secrets: for ETags, tokens and hash tables.
 */
#define UTIL_HASH_INIT	0xcbf29ce484222325ULL
uint64_t util_hash(uint64_t, const void *, size_t);

/*
 * How long a file whose size is a whole number of 4 KiB blocks counts as
 * possibly half-written after its last change (see util_maybe_partial).
 */
#define UTIL_SETTLE_MS	1000
int	 util_maybe_partial(off_t size, const struct timespec *mtim);

/*
 * What tells one version of a file from another on this machine: its device
 * and inode, size, and change times. Never sent to a client (it differs
 * between machines); validators are made from the content.
 */
struct stat;
struct util_stamp {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtim;
	struct timespec	 ctim;
};
void	 util_stamp_set(struct util_stamp *, const struct stat *);
/* Returns 1 if two stamps name the same version of the same file. */
int	 util_stamp_same(const struct util_stamp *, const struct util_stamp *);
/* Returns 1 if two stats describe the same version of the same file. */
int	 util_stat_same(const struct stat *, const struct stat *);

/* The wall clock's current second, read exactly (not time()'s coarse copy). */
time_t	 util_now_s(void);
/* Milliseconds of CLOCK_MONOTONIC. */
unsigned long long util_now_ms(void);

#endif
