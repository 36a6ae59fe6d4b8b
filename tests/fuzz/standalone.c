/*
 * standalone.c — runs a libFuzzer target over files without libFuzzer.
 *
 * `make test` builds every fuzz target with gcc + ASan/UBSan and this main, then feeds it
 * each file of the target's corpus (tests/fuzz/corpus/<target>/): the regression half of
 * fuzzing. `make fuzz` builds the same targets with clang -fsanitize=fuzzer for the search.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int ran = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		uint8_t *data = malloc(n > 0 ? (size_t)n : 1);
		if (!data || (n > 0 && fread(data, 1, (size_t)n, f) != (size_t)n)) {
			fprintf(stderr, "%s: read failed\n", argv[i]);
			return 1;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(data, (size_t)n);
		free(data);
		ran++;
	}
	printf("fuzz-regression: %d input(s) ran cleanly\n", ran);
	return 0;
}
