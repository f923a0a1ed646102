/* fcgi.h: the FastCGI front end's output, for the command and its tests. */
#ifndef DRF_FCGI_H
#define DRF_FCGI_H

#include <fcgiapp.h>

#include "router.h"

/*
 * Writes a response (CGI head, then the body from memory or its file) to a
 * FastCGI output stream, in pieces of at most 64 KiB whatever its length.
 * Returns -1 when the stream fails (the client is gone).
 */
int	 fcgi_respond(FCGX_Stream *, const struct response *);

#endif
