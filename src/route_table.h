/* route_table.h: what the rest of drfslides may ask the route table without knowing the routes. */
#ifndef DRF_ROUTE_TABLE_H
#define DRF_ROUTE_TABLE_H

#include <stddef.h>

/* Returns 1 if a path relative to a deck's folder names one of its pages, not an asset. */
int	 route_table_is_page(const char *, size_t);
/* Returns 1 if an asset path would replace a file or folder that export writes itself. */
int	 route_table_exported(const char *);

#endif
