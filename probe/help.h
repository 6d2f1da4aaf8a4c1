/*
 * help.h - `probe --help`.
 */
#ifndef PROBE_HELP_H
#define PROBE_HELP_H

#include <stdio.h>

/* Writes the help text to f: usage, options, modes, then every check kind
 * of this build by layer (from the registry), exit codes and an example. */
void help_print(FILE *f);

#endif
