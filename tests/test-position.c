/* test-position.c: the presenter's position per deck, in memory and in a state directory. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "position.h"
#include "util.h"
#include "tap.h"
#include "fixture.h"

static struct fixture	 fx;

/* Returns 1 if a position is page, step; says what it is otherwise. */
static int
at(const struct position *pos, unsigned long page, unsigned long step)
{
	if (pos->page == page && pos->step == step)
		return 1;
	printf("#   at page %lu step %lu, want %lu %lu\n", pos->page, pos->step,
	    page, step);
	return 0;
}

/* Returns the text of a file of the state directory (the caller frees it), or NULL. */
static char *
slurp(const char *name)
{
	char	*p = fx_path(&fx, name), *data = NULL, *cause = NULL;
	size_t	 len;

	if (util_read_file(p, 4096, &data, &len, &cause) != 0) {
		printf("#   %s\n", cause);
		free(cause);
	}
	free(p);
	return data;
}

/* Without a state directory: one process's memory, per deck. */
static void
test_memory(void)
{
	struct position_store	*ps;
	struct position		 pos;
	char			*cause = NULL;
	time_t			 before = time(NULL);

	ok(position_store_create(&ps, NULL, &cause) == 0, "a store in memory");
	position_get(ps, "talk", &pos);
	ok(at(&pos, 0, 0) && pos.mtime == 0, "a deck never set: page 0, step 0, "
	    "no time");
	ok(position_set(ps, "talk", 3, 2, &cause) == 0, "setting a position");
	position_get(ps, "talk", &pos);
	ok(at(&pos, 3, 2), "it reads back");
	ok(pos.mtime >= before && pos.mtime <= time(NULL), "with the time it "
	    "was set");
	ok(position_set(ps, "other", 7, 0, &cause) == 0 &&
	    position_set(ps, "talk", 4, 0, &cause) == 0, "two decks set");
	position_get(ps, "other", &pos);
	ok(at(&pos, 7, 0), "each deck keeps its own");
	position_get(ps, "talk", &pos);
	ok(at(&pos, 4, 0), "the later position replaces the earlier");
	position_get(ps, "talks", &pos);
	ok(at(&pos, 0, 0), "a deck whose name starts with another's is apart");
	position_store_free(ps);
	position_store_free(NULL);
	ok(1, "freeing a store (and NULL)");
}

/* With a state directory: one file per deck, "PAGE STEP\n", read back by another store. */
static void
test_round_trip(void)
{
	struct position_store	*a, *b;
	struct position		 pos;
	char			*cause = NULL, *text;

	ok(position_store_create(&a, fx.dir, &cause) == 0 &&
	    position_store_create(&b, fx.dir, &cause) == 0,
	    "two stores over one state directory");
	position_get(a, "talk", &pos);
	ok(at(&pos, 0, 0) && pos.mtime == 0, "no file: page 0, step 0, no time");
	ok(position_set(a, "talk", 12, 3, &cause) == 0, "setting a position");
	is_str(text = slurp("talk.position"), "12 3\n", "the file is PAGE STEP "
	    "and a newline");
	free(text);
	position_get(b, "talk", &pos);
	ok(at(&pos, 12, 3) && pos.mtime != 0, "another store (another worker) "
	    "reads it, with its time");
	position_store_free(a);
	ok(position_store_create(&a, fx.dir, &cause) == 0, "a new store (a "
	    "restarted worker)");
	position_get(a, "talk", &pos);
	ok(at(&pos, 12, 3), "finds the position");
	ok(position_set(b, "talk", 0, POSITION_MAX_STEP, &cause) == 0,
	    "the largest step is kept");
	position_get(a, "talk", &pos);
	ok(at(&pos, 0, POSITION_MAX_STEP), "and read back");
	ok(position_set(b, "talk", (unsigned long)-1, 0, &cause) == 0,
	    "the largest page number is kept");
	position_get(a, "talk", &pos);
	ok(at(&pos, (unsigned long)-1, 0), "and read back whole");
	position_store_free(a);
	position_store_free(b);
}

/* What a state file may hold that is not a position: read as never set. */
static void
test_bad_files(void)
{
	static const struct {
		const char	*text;
		const char	*desc;
	} bad[] = {
		{ "", "an empty file" },
		{ "5 1", "no newline (a torn write)" },
		{ "5\n", "no step" },
		{ " 5 1\n", "a blank before the page" },
		{ "5  1\n", "two blanks" },
		{ "-5 1\n", "a sign" },
		{ "5 1001\n", "a step past the largest" },
		{ "99999999999999999999999 1\n", "a page that overflows" },
		{ "5 1x\n", "junk in the step" },
		{ "0x5 1\n", "hexadecimal" },
	};
	struct position_store	*ps;
	struct position		 pos;
	char			*cause = NULL;
	size_t			 i;

	ok(position_store_create(&ps, fx.dir, &cause) == 0, "a store");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (fx_put(&fx, "bad.position", bad[i].text) != 0)
			continue;
		position_get(ps, "bad", &pos);
		ok(at(&pos, 0, 0) && pos.mtime == 0, "%s: never set",
		    bad[i].desc);
	}
	ok(fx_put(&fx, "bad.position", "8 2\nmore after it\n") == 0, "a file "
	    "with more lines");
	position_get(ps, "bad", &pos);
	ok(at(&pos, 8, 2), "its first line is the position");
	ok(fx_remove(&fx, "bad.position") == 0 &&
	    fx_symlink(&fx, "talk.position", "bad.position") == 0,
	    "a state file that is a symbolic link");
	position_get(ps, "bad", &pos);
	ok(at(&pos, 0, 0), "is not followed");
	fx_remove(&fx, "bad.position");
	position_store_free(ps);
}

/* A state directory that is not one, or cannot be written. */
static void
test_bad_dirs(void)
{
	struct position_store	*ps = (struct position_store *)&ps;
	char			*cause = NULL, *file;

	file = fx_path(&fx, "plain");
	fx_put(&fx, "plain", "x");
	ok(position_store_create(&ps, file, &cause) == -1 && ps == NULL,
	    "a file as the state directory is refused");
	has_str(cause, "is not a directory", "saying why");
	free(cause);
	cause = NULL;
	free(file);
	file = fx_path(&fx, "missing");
	ok(position_store_create(&ps, file, &cause) == -1, "a missing "
	    "directory is refused");
	has_str(cause, "missing", "naming it");
	free(cause);
	free(file);
	fx_remove(&fx, "plain");
}

struct racer {
	struct position_store	*ps;
	int			 bad;
};

/* Reads while another thread writes: every read is a position that was set. */
static void *
reader(void *arg)
{
	struct racer	*r = arg;
	struct position	 pos;
	int		 i;

	for (i = 0; i < 2000; i++) {
		position_get(r->ps, "race", &pos);
		/* Every position written has step == page % 7. */
		if (pos.step != pos.page % 7)
			r->bad++;
	}
	return NULL;
}

/* Readers never see a half-written position, in memory or in files. */
static void
test_concurrent(void)
{
	struct racer	 r[2];
	pthread_t	 th;
	char		*cause = NULL;
	const char	*dirs[2];
	unsigned long	 i;
	int		 k, failed;

	dirs[0] = NULL;
	dirs[1] = fx.dir;
	for (k = 0; k < 2; k++) {
		memset(&r[k], 0, sizeof r[k]);
		if (position_store_create(&r[k].ps, dirs[k], &cause) != 0) {
			ok(0, "a store: %s", cause);
			return;
		}
		pthread_create(&th, NULL, reader, &r[k]);
		for (failed = 0, i = 1; i <= 500; i++)
			if (position_set(r[k].ps, "race", i, i % 7, &cause) != 0)
				failed++;
		pthread_join(th, NULL);
		ok(failed == 0 && r[k].bad == 0, "%s: 500 writes under a reader, "
		    "every read whole (%d torn)", k == 0 ? "memory" : "files",
		    r[k].bad);
		position_store_free(r[k].ps);
	}
	fx_remove(&fx, "race.position");
}

static const struct tap_case cases[] = {
	TAP_CASE(test_memory),
	TAP_CASE(test_round_trip),
	TAP_CASE(test_bad_files),
	TAP_CASE(test_bad_dirs),
	TAP_CASE(test_concurrent),
};

int
main(void)
{
	int	 rc;

	if (fx_init(&fx, "position") != 0) {
		printf("Bail out! the state directory\n");
		return 99;
	}
	rc = tap_run_cases(cases);
	if (fx_done(&fx) != 0)
		return 99;
	return rc;
}
