/* export.h: writing a deck as a static site, as the 2001 generator did. */
#ifndef DRF_EXPORT_H
#define DRF_EXPORT_H

#include "deck.h"
#include "diag.h"
#include "render.h"

/* Progress: called after each file written (may be NULL). */
typedef void export_progress_cb(void *arg, const char *file, size_t done,
    size_t total);

/*
 * What export must know of the servers' addresses, given by the command line
 * (the route table's answers): which references are pages, not assets, and
 * which asset paths would replace a file export writes itself.
 */
struct export_routes {
	deck_is_page_fn	*is_page;
	int		(*reserved)(const char *);
	int		 notes;	/* print.html with the speaker notes (export --notes) */
};

/*
 * Writes into outdir (created if missing): index.html (the frameset),
 * NAME0.html ... one per page, display.html, glossary/TERM.html for every
 * term the deck uses (the entry from the first of the ngdirs folders gdirs
 * that has one, see glossary_find, or a "no entry" page), and
 * a copy of the regular files of static_dir in static/, and a copy of every
 * asset the pages refer to (see asset.h) from asset_dir, at the same
 * relative path, so that the pages' relative references resolve. An asset
 * that is missing, or whose name is one of the generated files, is not
 * copied: a warning is added to warnings instead. Returns -1 with *cause on
 * the first failure.
 */
int	 export_deck(const struct deck *, const struct render_templates *,
	    const char *static_dir, char *const *gdirs, size_t ngdirs,
	    const char *asset_dir, const char *outdir,
	    const struct export_routes *, export_progress_cb *, void *,
	    struct diags *warnings, char **cause);

#endif
