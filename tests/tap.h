/* tap.h: a minimal Test Anything Protocol producer for the C unit tests, with a case runner. */
#ifndef DRF_TAP_H
#define DRF_TAP_H

#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The counts: in memory shared with the children that run the cases. */
struct tap_counts {
	int	 n;
	int	 failed;
};
static struct tap_counts tap_local_, *tap_counts_ = &tap_local_;
#define tap_n		(tap_counts_->n)
#define tap_failed	(tap_counts_->failed)

/* One case: a function that makes its own checks, independent of the others. */
struct tap_case {
	const char	*name;
	void		(*fn)(void);
};
#define TAP_CASE(f)	{ #f, f }

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

/*
 * Checks that a statement returns normally: it runs in a child process, so a
 * crash or an abort (a sanitizer's report) is this check's failure alone.
 */
#define lives_ok(stmt, ...) do {					\
	pid_t lo_p_;							\
	int lo_st_ = -1;						\
	fflush(stdout);							\
	if ((lo_p_ = fork()) == 0) {					\
		stmt;							\
		_exit(0);						\
	}								\
	if (lo_p_ > 0)							\
		waitpid(lo_p_, &lo_st_, 0);				\
	if (!ok(lo_p_ > 0 && WIFEXITED(lo_st_) && WEXITSTATUS(lo_st_) == 0, \
	    __VA_ARGS__))						\
		printf("#   %s\n", lo_p_ < 0 ? "fork failed" :		\
		    WIFSIGNALED(lo_st_) ? strsignal(WTERMSIG(lo_st_)) :	\
		    "exited with an error");				\
} while (0)

/* Reports how a case's child ended when that was not a normal exit. */
static void __attribute__((unused))
tap_case_ended(const struct tap_case *tc, int st)
{
	if (WIFSIGNALED(st))
		tap_ok(0, __FILE__, __LINE__, "%s: ends normally (killed by %s)",
		    tc->name, strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
		tap_ok(0, __FILE__, __LINE__,
		    "%s: ends normally (exit status %d: a sanitizer's report?)",
		    tc->name, WEXITSTATUS(st));
}

/*
 * Runs the cases in order, each in a child process of its own (unless
 * TAP_NOFORK is set, for a debugger): a failed check or a crash in one case
 * does not stop or change the others. Returns the exit status, after the plan.
 */
static int __attribute__((unused))
tap_run(const struct tap_case *cases, size_t n)
{
	struct tap_counts	*shared;
	size_t			 i;
	pid_t			 pid;
	int			 st, nofork;

	nofork = getenv("TAP_NOFORK") != NULL;
	shared = nofork ? MAP_FAILED : mmap(NULL, sizeof *shared,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared != MAP_FAILED) {
		*shared = *tap_counts_;
		tap_counts_ = shared;
	}
	for (i = 0; i < n; i++) {
		printf("# %s\n", cases[i].name);
		fflush(stdout);
		if (shared == MAP_FAILED) {
			cases[i].fn();
			continue;
		}
		if ((pid = fork()) == -1) {
			tap_ok(0, __FILE__, __LINE__, "%s: fork", cases[i].name);
			continue;
		}
		if (pid == 0) {
			cases[i].fn();
			fflush(stdout);
			/* exit, not _exit: a leak checker runs at exit. */
			exit(0);
		}
		if (waitpid(pid, &st, 0) == -1)
			tap_ok(0, __FILE__, __LINE__, "%s: wait", cases[i].name);
		else
			tap_case_ended(&cases[i], st);
	}
	printf("1..%d\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

#define tap_run_cases(a)	tap_run((a), sizeof(a) / sizeof((a)[0]))

/* Prints the plan and returns the exit status. */
static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

#endif
