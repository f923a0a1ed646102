/* presenter.h: who may present: the presenter key, its checks, and the same-origin rule. */
#ifndef DRF_PRESENTER_H
#define DRF_PRESENTER_H

#include <time.h>

#include "request.h"

/*
 * The presenter's access: a key read from a file once at start, compared in
 * constant time with "Authorization: Bearer KEY". Wrong keys are counted
 * per client address: past a few a minute, that address is refused without
 * a compare (429) until the minute is over. They are logged at most once a
 * minute, with the count of those not logged. Thread safe; each worker
 * process counts its own.
 */
struct presenter;

enum presenter_access {
	PRESENTER_OFF,		/* no presenter configured: the routes do not exist (404) */
	PRESENTER_OK,		/* the right key, or open access */
	PRESENTER_NO_KEY,	/* no Authorization: 401 */
	PRESENTER_WRONG,	/* a wrong key: 403 */
	PRESENTER_LIMITED	/* too many wrong keys from there: 429 */
};

#define PRESENTER_MIN_KEY	16	/* bytes: a key shorter than this is refused */

/*
 * Creates the access rule: with keyfile, its first line is the key; without
 * one, open (every request passes: the dev server on a loopback address)
 * or off. log (may be NULL) gets the wrong-key lines. -1 with *cause when
 * the file cannot be read or holds no usable key.
 */
int	 presenter_create(struct presenter **, const char *keyfile, int open,
	    void (*log)(void *, const char *), void *log_arg, char **cause);
void	 presenter_free(struct presenter *);	/* accepts NULL */

/* Replaces the clock that times the wrong-key window and the log (tests); NULL: time(). */
void	 presenter_set_clock(struct presenter *, time_t (*)(void));
/* Returns 1 if presenter routes exist at all (a key, or open access). */
int	 presenter_on(const struct presenter *);
/* Checks a request's Authorization for the deck named (for the log). */
enum presenter_access presenter_check(struct presenter *,
	    const struct request *, const char *deck);
/*
 * Returns 1 if a request that changes something comes from a page of this
 * site: its Origin, when sent, names the Host it was sent to, and its
 * Sec-Fetch-Site, when sent, is same-origin.
 */
int	 presenter_same_origin(const struct request *);

#endif
