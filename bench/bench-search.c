/*
 * bench-search.c: the search index in process, without HTTP: every deck of
 * a folder put in, the first query (which builds the n-gram lists), then
 * each query of a file in turn, ROUNDS times; prints the times, their p50
 * and p99, and the index's memory against the text it covers.
 * usage: bench-search DECKS-DIR QUERIES-FILE [ROUNDS]
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deck.h"
#include "search.h"
#include "util.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The CPU time of this thread: what a query costs, whatever else runs. */
static double
cpu(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Puts every deck of dir; returns how many. */
static size_t
put_all(struct search *s, const char *dir)
{
	struct dirent	*de;
	struct deck	*d;
	DIR		*dp;
	char		*path, *cause, *name;
	size_t		 n = 0, len;

	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".drf") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		cause = NULL;
		if (deck_load(&d, path, NULL, &cause) == 0) {
			name = xstrndup(de->d_name, len - 4);
			if (search_put_deck(s, name, n + 1, d) == 0)
				n++;
			free(name);
			deck_free(d);
		} else
			fprintf(stderr, "%s\n", cause);
		free(cause);
		free(path);
	}
	closedir(dp);
	return n;
}

int
main(int argc, char **argv)
{
	struct search		*s;
	struct search_result	 r;
	struct search_stats	 st;
	char			 line[1024], **qs = NULL;
	double			 t0, c0, *times, *cpus;
	size_t			 nq = 0, n, i, k, rounds, found = 0;
	FILE			*f;

	if (argc < 3 || (f = fopen(argv[2], "r")) == NULL) {
		fprintf(stderr, "usage: bench-search DECKS-DIR QUERIES-FILE [ROUNDS]\n");
		return 2;
	}
	rounds = argc > 3 ? strtoul(argv[3], NULL, 10) : 5;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (*line == '\0')
			continue;
		qs = xreallocarray(qs, nq + 1, sizeof *qs);
		qs[nq++] = xstrdup(line);
	}
	fclose(f);
	s = search_create((size_t)1 << 30);
	t0 = now();
	n = put_all(s, argv[1]);
	printf("decks put: %zu in %.3f s (parse and plain text)\n", n, now() - t0);
	t0 = now();
	c0 = cpu();
	search_query(s, "first", 5, NULL, &r);
	search_result_free(&r);
	printf("first query (builds the lists): %.3f s (CPU %.3f s)\n",
	    now() - t0, cpu() - c0);
	times = xcalloc(nq * rounds + 1, sizeof *times);
	cpus = xcalloc(nq * rounds + 1, sizeof *cpus);
	for (k = 0; k < rounds; k++)
		for (i = 0; i < nq; i++) {
			t0 = now();
			c0 = cpu();
			search_query(s, qs[i], strlen(qs[i]), NULL, &r);
			cpus[k * nq + i] = cpu() - c0;
			times[k * nq + i] = now() - t0;
			found += r.n;
			search_result_free(&r);
		}
	qsort(times, nq * rounds, sizeof *times, cmp_double);
	qsort(cpus, nq * rounds, sizeof *cpus, cmp_double);
	printf("later queries: %zu, p50 %.3f ms, p99 %.3f ms, max %.3f ms "
	    "(%zu results listed in all)\n", nq * rounds,
	    times[nq * rounds / 2] * 1e3, times[nq * rounds * 99 / 100] * 1e3,
	    times[nq * rounds - 1] * 1e3, found);
	printf("their CPU time: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
	    cpus[nq * rounds / 2] * 1e3, cpus[nq * rounds * 99 / 100] * 1e3,
	    cpus[nq * rounds - 1] * 1e3);
	search_stats(s, &st);
	printf("text covered: %zu bytes in %zu pages of %zu decks\n", st.text,
	    st.units, st.decks);
	printf("n-gram lists and keys: %zu bytes (%.2fx the text)\n", st.lists,
	    (double)st.lists / (double)st.text);
	printf("index in all (texts, lists, labels, terms): %zu bytes (%.2fx "
	    "the text)\n", st.bytes, (double)st.bytes / (double)st.text);
	for (i = 0; i < nq; i++)
		free(qs[i]);
	free(qs);
	free(times);
	free(cpus);
	search_free(s);
	return 0;
}
