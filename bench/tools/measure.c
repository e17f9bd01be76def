/* measure.c -- run one benchmark process; report its wall time and peak RSS.
 *
 *   measure STATS TIMEOUT_S CMD [ARGS...]
 *
 * Runs CMD with stdin, stdout and stderr inherited, waits for it with
 * wait4() and writes one line "<elapsed_ns> <maxrss_kb> <status> <cpu_ns>"
 * to the file STATS (cpu_ns: user + system time of the child, which a
 * loaded machine distorts less than the wall clock).  <status> is the exit status, or 128+signal when the child
 * was killed; a child still running after TIMEOUT_S seconds is killed
 * with SIGKILL (status 137) so that a hung program cannot hang the suite.
 * measure's own exit status is <status>, or 125 when it could not run CMD.
 *
 * The elapsed time spans fork to reaping (the exec and the process exit
 * are part of every sample, for Plat, Go and C alike).  ru_maxrss from
 * wait4 is the child's own peak resident set in KB; no shell or timeout
 * wrapper stands between us and the program, so nothing else is counted.
 *
 * Invariant: `child` is written before the alarm is armed and read only
 * by the SIGALRM handler.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void on_alarm(int sig) {
  (void)sig;
  if (child > 0) kill(child, SIGKILL);
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fputs("usage: measure STATS TIMEOUT_S CMD [ARGS...]\n", stderr);
    return 125;
  }
  char *end;
  long timeout_s = strtol(argv[2], &end, 10);
  if (*end || timeout_s <= 0) {
    fprintf(stderr, "measure: bad timeout `%s`\n", argv[2]);
    return 125;
  }
  FILE *stats = fopen(argv[1], "w");
  if (!stats) {
    fprintf(stderr, "measure: cannot write %s: %s\n", argv[1], strerror(errno));
    return 125;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);

  long long t0 = now_ns();
  pid_t pid = fork();
  if (pid < 0) { perror("measure: fork"); return 125; }
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    fprintf(stderr, "measure: cannot run %s: %s\n", argv[3], strerror(errno));
    _exit(125);
  }
  child = pid;
  alarm((unsigned)timeout_s);
  int st;
  struct rusage ru;
  while (wait4(pid, &st, 0, &ru) < 0) {
    if (errno != EINTR) { perror("measure: wait4"); return 125; }
  }
  long long t1 = now_ns();
  alarm(0);
  int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  long long cpu_ns = ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                     ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
  fprintf(stats, "%lld %ld %d %lld\n", t1 - t0, ru.ru_maxrss, status, cpu_ns);
  if (fclose(stats) != 0) { perror("measure: write stats"); return 125; }
  return status;
}
