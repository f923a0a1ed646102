/* tap.h: a minimal Test Anything Protocol producer for the C unit tests. */
#ifndef DRF_TAP_H
#define DRF_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

/* Reports one check; returns its truth so callers can add detail on failure. */
static int __attribute__((format(printf, 4, 5), unused))
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compares two strings, showing both on failure. */
#define is_str(got, want, ...) do {					\
	const char *is_g_ = (got), *is_w_ = (want);			\
	if (!ok(is_g_ != NULL && strcmp(is_g_, is_w_) == 0, __VA_ARGS__)) \
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n",		\
		    is_g_ == NULL ? "(null)" : is_g_, is_w_);		\
} while (0)

/* Compares two integers, showing both on failure. */
#define is_int(got, want, ...) do {					\
	long long is_g_ = (long long)(got), is_w_ = (long long)(want);	\
	if (!ok(is_g_ == is_w_, __VA_ARGS__))				\
		printf("#   got:  %lld\n#   want: %lld\n", is_g_, is_w_); \
} while (0)

/* Checks that a string contains a substring. */
#define has_str(hay, needle, ...) do {					\
	const char *hs_h_ = (hay), *hs_n_ = (needle);			\
	if (!ok(hs_h_ != NULL && strstr(hs_h_, hs_n_) != NULL, __VA_ARGS__)) \
		printf("#   missing: \"%s\"\n", hs_n_);			\
} while (0)

/* Prints the plan and returns the exit status. */
static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

#endif
