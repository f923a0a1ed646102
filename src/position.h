/* position.h: where the presenter is in each deck, shared by every worker process and thread. */
#ifndef DRF_POSITION_H
#define DRF_POSITION_H

#include <time.h>

/*
 * The presenter's position in a deck: a page and how many of its steps are
 * shown. With a state directory, each deck's position is one small file,
 * DIR/NAME.position ("PAGE STEP\n"), replaced atomically (written beside it,
 * then renamed; a deck in a course folder by deck_flat_name), so that
 * every worker process and thread reads the same position, and a restarted worker finds it. Without one, positions live in
 * this process's memory (the dev server: one process). Thread safe.
 */
struct position {
	unsigned long	 page;
	unsigned long	 step;
	time_t		 mtime;		/* when it was set; 0: never */
};

#define POSITION_MAX_STEP	1000	/* more steps than a page could hold */

struct position_store;

/* Creates a store over dir (NULL: memory); -1 with *cause if dir is not a writable directory. */
int	 position_store_create(struct position_store **, const char *dir,
	    char **cause);
void	 position_store_free(struct position_store *);	/* accepts NULL */

/* Reads a deck's position; one never set is page 0, step 0, mtime 0. */
void	 position_get(struct position_store *, const char *deck,
	    struct position *);
/* Sets a deck's position; -1 with *cause if it could not be stored. */
int	 position_set(struct position_store *, const char *deck,
	    unsigned long page, unsigned long step, char **cause);

#endif
