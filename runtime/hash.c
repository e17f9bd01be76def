/* hash.c -- seeded 64-bit hashing for Dict and Set keys.
 *
 * Mixing step: mum(a, b) = the 128-bit product a*b folded to 64 bits
 * (high half XOR low half).  Every output bit depends on every input bit
 * of both operands, and it costs one multiply instruction.  Its weak
 * point is an operand of zero (the product is then zero whatever the other
 * operand is); every operand below is XORed with a secret first, so only
 * someone who knows the secrets can aim at that.
 *
 *   integers   mum(mum(x ^ k0, k1 ^ P), k2 ^ Q): two multiplies (one left
 *              sequential keys, i << 32 and i * 4096 up to 10% off a
 *              random function in the number of distinct table slots;
 *              two are within 0.5%).  All widths hash their sign-extended
 *              value, so Int8 -1 and Int64 -1 agree.
 *   bytes      up to 16 bytes are read as two 64-bit words a, b (short
 *              inputs with overlapping reads of the first and last 4 or 8
 *              bytes, 1-3 bytes as three single bytes), longer inputs are
 *              first folded 16 bytes at a time into a running state s;
 *              then mum(mum(a ^ k2, b ^ s), n ^ k3), n the length, so
 *              inputs of different lengths that read the same words
 *              differ.
 *   combine    mum(h ^ k0 ^ Q, x ^ k3): order-dependent (the two operands
 *              meet different secrets).
 *
 * The integer and byte hashes are written once, inline in dict_impl.h
 * (hash_int_inline, plat__hash_bytes), for the table's hot path; the
 * functions here are their out-of-line entry points.
 *
 * The secrets (`plat__hash_secret`, owned by this file) are drawn from
 * getrandom() by a constructor before main; if the OS gives none, from the clock,
 * the pid and an address (still different per run).  They never change
 * afterwards, so reading them needs no synchronisation.  Hash values are
 * therefore different in every run; nothing observable depends on them
 * (Dict order is insertion order).
 */
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "dict_impl.h"

uint64_t plat__hash_secret[4];
#define secret plat__hash_secret


/* splitmix-style expansion of one seed word into the four secrets. */
static uint64_t expand(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

__attribute__((constructor)) static void seed_secrets(void)
{
  uint64_t s;
  if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s = (uint64_t)ts.tv_nsec * 0x100000001b3ULL ^ (uint64_t)ts.tv_sec ^
        ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&s;
  }
  for (int i = 0; i < 4; i++) secret[i] = expand(&s) | 1;
}

uint64_t plat_hash_i64(int64_t x) { return hash_int_inline((uint64_t)x); }

uint64_t plat_hash_ptr(const void *p) { return plat_hash_i64((int64_t)(uintptr_t)p); }

uint64_t plat_hash_combine(uint64_t h, uint64_t x)
{
  return plat__mum(h ^ secret[0] ^ PLAT_HASH_Q, x ^ secret[3]);
}

uint64_t plat_hash_bytes(const void *data, size_t n) { return plat__hash_bytes(data, n); }

uint64_t plat_hash_str(plat_str *s) { return plat__hash_bytes(s->data, (size_t)s->len); }
