/* test_gc_alloc.c -- plat_alloc / plat_alloc_atomic from plain threads:
 * zeroed memory, objects kept reachable survive many collections, and
 * torture mode runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_value.h"

#define N 2000

struct node { struct node *next; int64_t val; };

int main(void) {
  setenv("PLAT_GC_TORTURE", "1", 1);
  setenv("PLAT_GC_TORTURE_EVERY", "100", 1);
  struct node *head = NULL;
  for (int i = 0; i < N; i++) {
    struct node *n = plat_alloc(sizeof *n);
    if (n->next || n->val) { fprintf(stderr, "plat_alloc not zeroed\n"); return 1; }
    n->val = i; n->next = head; head = n;
    unsigned char *a = plat_alloc_atomic(64 + i % 100);
    for (int k = 0; k < 64 + i % 100; k++)
      if (a[k]) { fprintf(stderr, "plat_alloc_atomic not zeroed\n"); return 1; }
    memset(a, 0xAB, 64 + i % 100);    /* dirty freed blocks for reuse */
  }
  int64_t want = N - 1;
  for (struct node *n = head; n; n = n->next, want--)
    if (n->val != want) { fprintf(stderr, "list corrupted at %lld\n", (long long)want); return 1; }
  if (want != -1) { fprintf(stderr, "list too short\n"); return 1; }
  return 0;
}
