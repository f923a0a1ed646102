/*
 * bench-engine.c: times the engine on one deck: read, decode, parse and
 * expand it with deck_load, then render every page with render_page, and
 * print the figures on one line of key=value pairs for bench/engine.sh.
 *
 * usage: bench-engine [-d] DECK TEMPLATES_DIR
 *   -d  also write every page body, in order, to standard output (the
 *       figures then go to standard error), so a script can compare the
 *       engine's expansion with another tool's.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "deck.h"
#include "render.h"

/* Returns the monotonic clock in seconds. */
static double
bench_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the CPU time of the process in seconds (less disturbed by other jobs than the clock). */
static double
bench_cpu(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) {
		perror("clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the size of a file in bytes, or exits if it cannot be read. */
static size_t
bench_file_size(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) != 0) {
		perror(path);
		exit(1);
	}
	return (size_t)st.st_size;
}

/* Prints the usage and exits. */
static void __attribute__((noreturn))
bench_usage(void)
{
	fprintf(stderr, "usage: bench-engine [-d] DECK TEMPLATES_DIR\n");
	exit(2);
}

/* Writes every page body to standard output, as the deck holds them. */
static int
bench_dump(const struct deck *d)
{
	size_t	 i;

	for (i = 0; i < d->npages; i++) {
		if (fwrite(d->pages[i].body, 1, d->pages[i].bodylen, stdout) !=
		    d->pages[i].bodylen)
			return -1;
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

/* Loads and renders the deck once and reports the times and the peak memory. */
int
main(int argc, char **argv)
{
	struct deck_limits	 limits;
	struct render_templates	*rt;
	struct deck		*d;
	struct buf		 out = BUF_INIT;
	struct rusage		 ru;
	FILE			*report = stdout;
	char			*cause;
	double			 t0, t1, t2, c0, c1, mib, total;
	size_t			 i, input, rendered = 0;
	int			 ch, dump = 0;

	while ((ch = getopt(argc, argv, "d")) != -1) {
		switch (ch) {
		case 'd':
			dump = 1;
			report = stderr;
			break;
		default:
			bench_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		bench_usage();

	if (render_templates_load(&rt, argv[1], &cause) != 0) {
		fprintf(stderr, "bench-engine: %s\n", cause);
		free(cause);
		return 1;
	}
	input = bench_file_size(argv[0]);
	deck_limits_default(&limits);
	limits.max_source = (size_t)1 << 30;
	limits.max_expanded = (size_t)4 << 30;

	c0 = bench_cpu();
	t0 = bench_now();
	if (deck_load(&d, argv[0], &limits, &cause) != 0) {
		fprintf(stderr, "bench-engine: %s\n", cause);
		free(cause);
		render_templates_free(rt);
		return 1;
	}
	t1 = bench_now();
	c1 = bench_cpu();
	for (i = 0; i < d->npages; i++) {
		buf_reset(&out);
		render_page(rt, d, i, RENDER_SERVED, &out);
		rendered += out.len;
	}
	t2 = bench_now();

	if (getrusage(RUSAGE_SELF, &ru) != 0) {
		perror("getrusage");
		return 1;
	}
	if (dump && bench_dump(d) != 0) {
		fprintf(stderr, "bench-engine: writing the bodies failed\n");
		return 1;
	}

	mib = (double)input / (1024.0 * 1024.0);
	total = t2 - t0;
	fprintf(report, "input_bytes=%zu pages=%zu expanded_bytes=%zu "
	    "rendered_bytes=%zu load_s=%.4f render_s=%.4f total_s=%.4f "
	    "mib_per_s=%.1f maxrss_kib=%ld rss_ratio=%.2f load_cpu_s=%.4f\n", input,
	    d->npages, d->expanded, rendered, t1 - t0, t2 - t1, total,
	    total > 0 ? mib / total : 0.0, ru.ru_maxrss,
	    input > 0 ? (double)ru.ru_maxrss * 1024.0 / (double)input : 0.0,
	    c1 - c0);

	buf_free(&out);
	deck_free(d);
	render_templates_free(rt);
	return 0;
}
