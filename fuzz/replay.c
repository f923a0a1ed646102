/* replay.c: runs a harness over files, so that builds without libFuzzer replay the corpus. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util.h"

/* Feeds one file to the harness. */
static int
replay_file(const char *path)
{
	char	*data, *cause;
	size_t	 len;

	if (util_read_file(path, 16 << 20, &data, &len, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

/* Replays every file named, or every file in every directory named. */
int
main(int argc, char **argv)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;
	int		 i, n = 0, bad = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((d = opendir(argv[i])) == NULL)
				return 1;
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				path = xasprintf("%s/%s", argv[i], de->d_name);
				bad += replay_file(path) != 0;
				n++;
				free(path);
			}
			closedir(d);
		} else {
			bad += replay_file(argv[i]) != 0;
			n++;
		}
	}
	printf("replayed %d inputs\n", n);
	return bad == 0 ? 0 : 1;
}
