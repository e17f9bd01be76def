/* cpu: single-threaded CPU-bound reference in C for bench/cpu/main.plat
 * (built with cc -O2).  Recursive fib(N) on Int32 -> Int64, then a
 * Mandelbrot escape-time loop over a (40N x 40N) grid, at most 512
 * iterations per point, in Float64; prints fib(N) and the total number
 * of iterations.  Usage: cpu [N], default 35.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t fib(int32_t n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

static int64_t mandel(int32_t w, int32_t h, int32_t max_iter) {
  int64_t total = 0;
  for (int32_t py = 0; py < h; py++) {
    double ci = -1.5 + 3.0 * (double)py / (double)h;
    for (int32_t px = 0; px < w; px++) {
      double cr = -2.0 + 3.0 * (double)px / (double)w;
      double zr = 0.0, zi = 0.0;
      int32_t it = 0;
      while (it < max_iter && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        it = it + 1;
      }
      total = total + it;
    }
  }
  return total;
}

int main(int argc, char **argv) {
  int32_t n = 35;
  if (argc > 1) {
    char *end;
    long v = strtol(argv[1], &end, 10);
    if (*end || v < 0 || v > 60) {
      fprintf(stderr, "bad size \"%s\"\n", argv[1]);
      return 2;
    }
    n = (int32_t)v;
  }
  printf("%lld\n", (long long)fib(n));
  printf("%lld\n", (long long)mandel(40 * n, 40 * n, 512));
  return 0;
}
