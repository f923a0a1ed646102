/* fuzz.h: the entry point every harness defines, for libFuzzer and the replay driver alike. */
#ifndef DRF_FUZZ_H
#define DRF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
