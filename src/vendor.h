/* vendor.h: the Debian libraries that typeset pages in the browser: highlight.js and KaTeX. */
#ifndef DRF_VENDOR_H
#define DRF_VENDOR_H

#include <stddef.h>

/*
 * Each library is a folder of a Debian package, found at configure time
 * (--with-highlightjs, --with-katex) or given by an option. Its files are
 * served below "vendor/NAME/" with the names they have in the package; only
 * the files listed in vendor.c and the KaTeX fonts are. The folders are set
 * once, before any thread starts, and only read afterwards.
 */
enum vendor_lib {
	VENDOR_HIGHLIGHT,	/* highlight.js: "vendor/highlight.js/" */
	VENDOR_KATEX,		/* KaTeX: "vendor/katex/" */
	VENDOR_NLIBS
};

/* Sets a library's folder (NULL: the configured default); call before threads start. */
void	 vendor_set_dir(enum vendor_lib, const char *dir);
/* Returns 1 if the library's files are there to serve. */
int	 vendor_have(enum vendor_lib);
/* Returns the Debian package that ships the library ("libjs-katex"). */
const char *vendor_package(enum vendor_lib);
/* Returns the option that names its folder ("--katex"). */
const char *vendor_option(enum vendor_lib);

/*
 * Returns the file that a path below "vendor/" names ("katex/fonts/X.woff2"),
 * or NULL if the path is none of the served files; caller frees. The file is
 * one of the package's, opened by the caller following the package's own
 * links (Debian links the KaTeX fonts from fonts-katex).
 */
char	*vendor_file(const char *, size_t);

/*
 * Copies the served files of every library whose bit is set in libs
 * (1 << enum vendor_lib) and is installed into OUTDIR/vendor/. Returns -1
 * with *cause if a file cannot be read or written.
 */
int	 vendor_export(unsigned libs, const char *outdir, char **cause);

#endif
