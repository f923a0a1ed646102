/* asset.h: a deck's own files (pictures, downloads): their names, types, opening and ranges. */
#ifndef DRF_ASSET_H
#define DRF_ASSET_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

/*
 * A deck DIR/NAME.drf keeps its assets in the folder DIR/NAME/, and its
 * pages refer to them by relative URL ("fig1.gif", "img/a.png"). A valid
 * asset path is one or more segments separated by single '/', each made of
 * ASCII letters, digits, '.', '_' and '-' and not starting with '.': no
 * empty segment, no "." or "..", no dotfile, no trailing '/'.
 */
#define ASSET_MAX_PATH	1024

/* Returns 1 if a relative path is a valid asset path, else 0. */
int	 asset_path_valid(const char *, size_t);

/* What an asset is sent as. */
struct asset_type {
	const char	*type;		/* Content-Type */
	const char	*csp;		/* Content-Security-Policy, or NULL */
	int		 attachment;	/* sent with Content-Disposition: attachment */
};

/* Fills in the type of a file by its extension (case ignored); unknown ones are downloads. */
void	 asset_type(const char *, size_t, struct asset_type *);
/* Returns the type of a file of the static directory (case counts), or NULL if not served. */
const char *asset_static_type(const char *, size_t);

/* Returns "DIR/NAME" for a deck at "DIR/NAME.drf" (any other name: the path itself); caller frees. */
char	*asset_dir(const char *deck_path);

/*
 * Opens the asset path rel (asset_path_valid) in the folder dir: dir is
 * opened without following a symbolic link in its last component, then every
 * component of rel is opened in turn from there, never following a link. The
 * result must be a regular file. On success *fd is open (O_RDONLY, close on
 * exec) and *st describes it. Returns -1 with *cause otherwise: a folder or
 * file that does not exist, a symbolic link, a directory, a FIFO, a device.
 */
int	 asset_open(const char *dir, const char *rel, size_t len, int *fd,
	    struct stat *st, char **cause);

/*
 * Writes a quoted strong ETag (20 bytes with the NUL) of the content of
 * the open file fd whose state is st: the same bytes give the same tag on
 * every machine and in every copy, whatever their device, inode or times.
 * The content is read once per version of the file (device, inode, size,
 * modification and change times); a table of 256 versions, shared by all
 * threads, remembers the hashes. Returns -1 with *cause if fd cannot be read.
 */
int	 asset_etag(int fd, const struct stat *st, char *, size_t,
	    char **cause);

enum asset_range {
	ASSET_RANGE_NONE,		/* no usable range: send the whole file */
	ASSET_RANGE_OK,			/* send [*start, *start + *len) with 206 */
	ASSET_RANGE_UNSATISFIABLE	/* 416 */
};

/*
 * Reads a Range header for a file of size bytes. One range of the forms
 * "bytes=A-B", "bytes=A-" and "bytes=-N" is honoured; several ranges, other
 * units and malformed values are ignored (the whole file is sent).
 */
enum asset_range asset_range(const char *, off_t size, off_t *start,
	    off_t *len);

#endif
