/* fcgi_record.h: checks the FastCGI records at the start of a connection before libfcgi reads them. */
#ifndef DRF_FCGI_RECORD_H
#define DRF_FCGI_RECORD_H

#include <stddef.h>

/*
 * The longest name or value of a parameter accepted. libfcgi allocates
 * nameLength + valueLength + 2 bytes in an int for every pair before it reads
 * it, and aborts the process when that fails (0x7ffffff0 twice overflows).
 */
#define FCGI_RECORD_MAX_PAIR	((size_t)1 << 20)

enum fcgi_record_verdict {
	FCGI_RECORD_OK,		/* the parameters are complete and every pair fits */
	FCGI_RECORD_MORE,	/* nothing wrong so far, the parameters are not all there */
	FCGI_RECORD_BAD		/* a pair that is longer than its stream or the limit */
};

/*
 * Checks the first n bytes a web server sent on a connection: the name and
 * value lengths of every pair in the FCGI_PARAMS stream, up to its empty
 * closing record, and in every FCGI_GET_VALUES record before it. Records of
 * other types are skipped. Pure: no state but the arguments.
 */
enum fcgi_record_verdict fcgi_record_check(const unsigned char *, size_t n);

#endif
