/*
 * hex.h - one hexadecimal digit's value, for every parser that decodes
 * hex: %XX in URLs, \uXXXX in JSON, \xNN in Python literals, /proc/net.
 */
#ifndef PROBE_HEX_H
#define PROBE_HEX_H

/* Returns the value of hex digit c (0-15), or -1 when c is not one. */
static inline int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
