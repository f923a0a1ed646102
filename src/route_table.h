/* route_table.h: what the rest of drfslides may ask the route table without knowing the routes. */
#ifndef DRF_ROUTE_TABLE_H
#define DRF_ROUTE_TABLE_H

#include <stddef.h>

/* Returns 1 if a path relative to a deck's folder names one of its pages, not an asset. */
int	 route_table_is_page(const char *, size_t);
/* Returns 1 if an asset path would replace a file or folder that export writes itself. */
int	 route_table_exported(const char *);

/*
 * What the first parts of a path name below the decks root: a deck, a
 * course folder, or nothing. A probe answers for one name (NUL-terminated,
 * deck_path_valid); it is asked for each part in turn, from the top down,
 * while the parts are course folders.
 */
enum route_place_kind {
	ROUTE_PLACE_NOTHING,
	ROUTE_PLACE_DECK,
	ROUTE_PLACE_COURSE
};
typedef enum route_place_kind route_probe_fn(void *, const char *);

/*
 * Where a path divides: kind names p's first namelen bytes (a course of
 * length 0 is the top); slash says whether a '/' follows them, and rest is
 * what follows it. A part that is not a deck name ends the walk inside the
 * course so far ("networks1/week05-tcp3.html": the course networks1 and
 * the rest "week05-tcp3.html"); so does the depth limit, and a last part
 * that names no deck nor course but a course route ("networks1/search").
 */
struct route_place {
	enum route_place_kind	 kind;
	size_t			 namelen;
	int			 slash;
	const char		*rest;
	size_t			 restlen;
};
void	 route_table_place(const char *p, size_t len, route_probe_fn *,
	    void *, struct route_place *);

#endif
