/* uuid.c - xoshiro256** generator and v4 UUIDs. */
#include "common/uuid.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

void rng_seed_system(rng *r)
{
	uint64_t seed;
	if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
	}
	rng_seed(r, seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_double(rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

void uuid_v4(rng *r, char out[UUID_LEN])
{
	uint64_t hi = rng_next(r), lo = rng_next(r);
	hi = (hi & ~0xF000ull) | 0x4000ull;              /* version 4 */
	lo = (lo & 0x3FFFFFFFFFFFFFFFull) | (1ull << 63); /* variant 10 */
	snprintf(out, UUID_LEN, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(hi >> 32),
	         (unsigned)((hi >> 16) & 0xFFFF), (unsigned)(hi & 0xFFFF), (unsigned)(lo >> 48),
	         (unsigned long long)(lo & 0xFFFFFFFFFFFFull));
}

void uuid_v4_global(char out[UUID_LEN])
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static rng g;
	static int seeded;
	pthread_mutex_lock(&mu);
	if (!seeded) {
		rng_seed_system(&g);
		seeded = 1;
	}
	uuid_v4(&g, out);
	pthread_mutex_unlock(&mu);
}
