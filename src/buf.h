/* buf.h: a growable byte buffer, the one way drfslides builds output in memory. */
#ifndef DRF_BUF_H
#define DRF_BUF_H

#include <stddef.h>

/*
 * A buffer owns its data. The data is always NUL-terminated (the NUL is not
 * counted in len) once anything has been added, so it can be used as a string
 * when it holds no NUL bytes itself. Not thread safe: one owner at a time.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_detach(struct buf *, size_t *);

#endif
