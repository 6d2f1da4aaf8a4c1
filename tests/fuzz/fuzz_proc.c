/*
 * fuzz_proc.c - libFuzzer entry point for proc_match (checks/sys/proc.c),
 * which judges what any process of the namespace put in /proc/PID/comm and
 * /proc/PID/cmdline.  The input's first line is the name asked for, the
 * second the comm file, the rest the cmdline file: NUL-separated
 * arguments, at most the 4095 bytes proc: reads, handed over without a
 * terminating NUL as the contract allows.
 * Seeds: corpus/proc/.
 */
#include "fuzz.h"

#include "checks/sys/proc.h"

#define FUZZ_CMDLINE_MAX 4095

/* Feeds name, comm and cmdline to proc_match; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t left = size;
	char *name = fuzz_line(&p, &left), *comm = fuzz_line(&p, &left), *cmdline;

	if (left > FUZZ_CMDLINE_MAX)
		left = FUZZ_CMDLINE_MAX;
	cmdline = fuzz_bytes(p, left);
	if (name && comm && cmdline) {
		proc_match(name, comm, cmdline, left);
		proc_match(name, comm, cmdline, 0);
	}
	free(cmdline);
	free(comm);
	free(name);
	return 0;
}
