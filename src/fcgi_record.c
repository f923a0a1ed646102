/* fcgi_record.c: the name-value pair lengths of FastCGI records, checked before libfcgi sees them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fcgi_record.h"

#define FCGI_RECORD_HEADER	8
#define FCGI_RECORD_PARAMS	4
#define FCGI_RECORD_GET_VALUES	9

/* Reads a pair length (one byte, or four with the top bit set); returns the bytes used, 0 if cut. */
static size_t
fcgi_record_len(const unsigned char *p, size_t n, size_t *len)
{
	if (n < 1)
		return 0;
	if ((p[0] & 0x80) == 0) {
		*len = p[0];
		return 1;
	}
	if (n < 4)
		return 0;
	*len = ((size_t)(p[0] & 0x7f) << 24) | ((size_t)p[1] << 16) |
	    ((size_t)p[2] << 8) | p[3];
	return 4;
}

/*
 * Walks the pairs of a parameter stream. complete: the stream ends at n, so
 * a pair that does not fit is bad; otherwise it may still be arriving.
 */
static enum fcgi_record_verdict
fcgi_record_pairs(const unsigned char *p, size_t n, int complete)
{
	size_t	 at = 0, used, nlen, vlen;

	while (at < n) {
		if ((used = fcgi_record_len(p + at, n - at, &nlen)) == 0)
			return complete ? FCGI_RECORD_BAD : FCGI_RECORD_MORE;
		at += used;
		if ((used = fcgi_record_len(p + at, n - at, &vlen)) == 0)
			return complete ? FCGI_RECORD_BAD : FCGI_RECORD_MORE;
		at += used;
		if (nlen > FCGI_RECORD_MAX_PAIR || vlen > FCGI_RECORD_MAX_PAIR)
			return FCGI_RECORD_BAD;
		if (nlen + vlen > n - at)
			return complete ? FCGI_RECORD_BAD : FCGI_RECORD_MORE;
		at += nlen + vlen;
	}
	return complete ? FCGI_RECORD_OK : FCGI_RECORD_MORE;
}

/* Checks the records at the start of a connection. */
enum fcgi_record_verdict
fcgi_record_check(const unsigned char *p, size_t n)
{
	struct buf		 params = BUF_INIT;
	enum fcgi_record_verdict v = FCGI_RECORD_MORE;
	size_t			 at = 0, clen, total, avail;

	while (v == FCGI_RECORD_MORE && n - at >= FCGI_RECORD_HEADER) {
		clen = ((size_t)p[at + 4] << 8) | p[at + 5];
		total = FCGI_RECORD_HEADER + clen + p[at + 6];
		avail = n - at - FCGI_RECORD_HEADER;
		if (avail > clen)
			avail = clen;
		if (p[at + 1] == FCGI_RECORD_PARAMS && clen == 0) {
			/* The empty record that closes the parameters. */
			v = fcgi_record_pairs((const unsigned char *)params.data,
			    params.len, 1);
			break;
		}
		if (p[at + 1] == FCGI_RECORD_PARAMS)
			buf_add(&params, (const char *)p + at +
			    FCGI_RECORD_HEADER, avail);
		else if (p[at + 1] == FCGI_RECORD_GET_VALUES &&
		    fcgi_record_pairs(p + at + FCGI_RECORD_HEADER, avail,
		    avail == clen) == FCGI_RECORD_BAD)
			v = FCGI_RECORD_BAD;
		if (n - at < total)
			break;
		at += total;
	}
	/* What has arrived of an unfinished stream may already be bad. */
	if (v == FCGI_RECORD_MORE && fcgi_record_pairs((const unsigned char *)
	    params.data, params.len, 0) == FCGI_RECORD_BAD)
		v = FCGI_RECORD_BAD;
	buf_free(&params);
	return v;
}
