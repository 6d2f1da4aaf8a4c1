/*
 * fuzz_redis.c - libFuzzer entry point for checks/db/redis_reply.c, which
 * judges what a Redis server (or whatever listens on its port) answers.
 * With the redis driver, the input goes through the check's RESP reader
 * (redis_reader_new) in recv()-sized pieces, as redis.c reads it, and
 * each reply is judged as the answer to the next step of the pipeline
 * (AUTH, SELECT, PING, INFO); bytes that are not RESP go to
 * redis_judge_garbage.  In every build the whole input is also judged
 * directly as the text of a reply of each type to each step, as INFO
 * text, and as garbage.
 * Seeds: corpus/redis/.
 */
#include "fuzz.h"

#include "checks/db/redis_reply.h"
#ifdef PROBE_WITH_REDIS
#include "checks/db/redis_reader.h"
#endif

#define FUZZ_RECV 4096

static const enum redis_step fuzz_steps[] = { REDIS_STEP_AUTH, REDIS_STEP_SELECT,
					      REDIS_STEP_PING, REDIS_STEP_INFO };

/* Judges one reply to step as redis.c does: INFO only for its version. */
static void fuzz_redis_judge(enum redis_step step, enum redis_rtype type, const char *str)
{
	struct redis_verdict v;
	char version[64];

	if (step == REDIS_STEP_INFO) {
		if (type == REDIS_RT_STRING && str)
			redis_info_version(str, version, sizeof(version));
		return;
	}
	redis_judge(step, type, str, &v);
	FUZZ_ASSERT(v.ok || (v.cause != CAUSE_NONE && v.error[0]));
}

#ifdef PROBE_WITH_REDIS
/* Reads data as redis.c's redis_recv does and judges each reply. */
static void fuzz_redis_stream(const uint8_t *data, size_t size)
{
	redisReader *reader = redis_reader_new();
	struct redis_verdict v;
	size_t off = 0, nfirst = size < 64 ? size : 64, step = 0;
	int bad = 0;

	if (!reader)
		return;
	while (!bad && off < size) {
		size_t n = size - off < FUZZ_RECV ? size - off : FUZZ_RECV;

		if (redisReaderFeed(reader, (const char *)data + off, n) != REDIS_OK) {
			bad = 1;
			break;
		}
		off += n;
		for (;;) {
			void *reply = NULL;
			redisReply *r;

			if (redisReaderGetReply(reader, &reply) != REDIS_OK) {
				bad = 1;
				break;
			}
			if (!reply)
				break;
			r = reply;
			fuzz_redis_judge(fuzz_steps[step++ % 4], redis_rtype_of(r->type), r->str);
			freeReplyObject(reply);
		}
	}
	/* Not RESP, or the server hung up halfway through a reply: redis.c
	 * quotes the first bytes it received. */
	if (bad || step < 4) {
		char *first = fuzz_bytes(data, nfirst);

		if (first)
			redis_judge_garbage(first, nfirst, &v);
		free(first);
	}
	redisReaderFree(reader);
}
#endif

/* Feeds data as a stream of replies and as the text of one; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum redis_rtype types[] = { REDIS_RT_STATUS,  REDIS_RT_ERROR,
						  REDIS_RT_STRING,  REDIS_RT_INTEGER,
						  REDIS_RT_NIL,     REDIS_RT_ARRAY };
	char *text = fuzz_str(data, size), *raw = fuzz_bytes(data, size);
	struct redis_verdict v;
	size_t s, t;

#ifdef PROBE_WITH_REDIS
	fuzz_redis_stream(data, size);
#endif
	if (text && raw) {
		for (s = 0; s < 4; s++)
			for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
				fuzz_redis_judge(fuzz_steps[s], types[t], text);
		fuzz_redis_judge(REDIS_STEP_PING, REDIS_RT_NIL, NULL);
		redis_judge_garbage(raw, size, &v);
	}
	free(raw);
	free(text);
	return 0;
}
