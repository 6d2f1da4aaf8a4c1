/*
 * redis_reader.h - the RESP reader the redis check parses replies with:
 * hiredis' redisReader, bounded so that what a server claims cannot make
 * it allocate beyond what the check reads.  Only in builds with the redis
 * driver (redis.c); tests/unit/test_redis.c and the fuzz target use it.
 */
#ifndef PROBE_REDIS_READER_H
#define PROBE_REDIS_READER_H

#include <hiredis/hiredis.h>

#include "checks/db/redis_reply.h"

/* The most elements an array reply may have.  No answer to the check's
 * commands is an array; hiredis would otherwise allocate room for any
 * count a server announces ("*2000000000\r\n": 16 GB) before a single
 * element has arrived. */
#define REDIS_MAX_ELEMENTS 1024

/* Returns a new reader, freed with redisReaderFree, that fails (as out of
 * memory) on an array of more than REDIS_MAX_ELEMENTS elements; NULL when
 * out of memory.  Thread-safe. */
redisReader *redis_reader_new(void);

/* The reply type redis_judge takes for hiredis' REDIS_REPLY_* type. */
enum redis_rtype redis_rtype_of(int type);

#endif
