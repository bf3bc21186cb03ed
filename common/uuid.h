/* uuid.h - random numbers and identifiers (v4 UUIDs, request ids).
 *
 * A rng is a small splitmix64/xoshiro256** generator. Scenarios seed theirs
 * so identifiers are the same on every run; serve seeds from the system.
 * A rng is not thread-safe: use one per thread, or uuid_v4_global.
 */
#ifndef STEPBENCH_UUID_H
#define STEPBENCH_UUID_H

#include <stdint.h>

typedef struct rng {
	uint64_t s[4];
} rng;

/** Seed deterministically. */
void rng_seed(rng *r, uint64_t seed);
/** Seed from the system's entropy (getrandom), falling back to the time. */
void rng_seed_system(rng *r);
uint64_t rng_next(rng *r);
/** Uniform double in [0, 1). */
double rng_double(rng *r);

#define UUID_LEN 37 /* 36 characters and the terminator */
/** Write a random (version 4) UUID in lowercase 8-4-4-4-12 form. */
void uuid_v4(rng *r, char out[UUID_LEN]);
/** The same from a process-wide, mutex-guarded, system-seeded generator. */
void uuid_v4_global(char out[UUID_LEN]);

#endif
