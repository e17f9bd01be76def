# Plat build.  `make` builds the compiler (build/plat) and the runtime
# library (build/libplatrt.a, with build/libgc.a: Boehm GC's static library,
# copied from the system so programs link it statically); `make test` runs
# every test layer and ends with a line "N passed, N failed".
# `make install PREFIX=/usr/local` installs PREFIX/bin/plat and the runtime
# in PREFIX/lib/plat (libraries, include/); see docs/GUIDE.md, section 1.
#
# Runtime variants: `make rt VARIANT=asan` builds build/asan/libplatrt.a
# with ASan+UBSan, VARIANT=tsan with TSan.  `make check-asan` and
# `make check-tsan` build a variant and run the runtime and concurrency
# tests against it.

CC      ?= cc
OPT     ?= -O2
WARN    := -Wall -Wextra -Werror
CFLAGS_BASE := -std=gnu11 -g $(WARN) -pthread -D_GNU_SOURCE
B       := build

VARIANT ?= release
ifeq ($(VARIANT),release)
  RTDIR := $(B)
  RT_VFLAGS :=
else ifeq ($(VARIANT),asan)
  RTDIR := $(B)/asan
  RT_VFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DPLAT_ASAN=1
else ifeq ($(VARIANT),tsan)
  RTDIR := $(B)/tsan
  RT_VFLAGS := -fsanitize=thread -DPLAT_TSAN=1
else
  $(error unknown VARIANT=$(VARIANT): use release, asan or tsan)
endif

COMPILER_SRC := $(sort $(wildcard compiler/*.c compiler/builtins/*.c))
COMPILER_OBJ := $(COMPILER_SRC:compiler/%.c=$(B)/compiler/%.o)
COMPILER_LIB_OBJ := $(filter-out $(B)/compiler/main.o,$(COMPILER_OBJ))
COMPILER_TESTS := $(patsubst tests/compiler/%.c,$(B)/compiler-tests/%,$(wildcard tests/compiler/test_*.c))
RT_CSRC      := $(sort $(wildcard runtime/*.c))
RT_SSRC      := $(sort $(wildcard runtime/*.S))
RT_OBJ       := $(RT_CSRC:runtime/%.c=$(RTDIR)/rt/%.o) $(RT_SSRC:runtime/%.S=$(RTDIR)/rt/%.S.o)
RT_TESTS_SRC := $(sort $(wildcard tests/runtime/test_*.c))
RT_TESTS     := $(RT_TESTS_SRC:tests/runtime/%.c=$(RTDIR)/rt-tests/%)
RT_LIBS      := -lgc -lpthread -lm

.PHONY: all objs deps rt rt-tests compiler-tests rt-contract test test-runtime test-lang \
        check-asan check-tsan fuzz bench clean examples install
all: deps $(B)/plat $(B)/libplatrt.a $(B)/libgc.a rt-contract

deps: $(B)/.deps-ok
$(B)/.deps-ok: tools/ensure-deps.sh
	@tools/ensure-deps.sh gc
	@mkdir -p $(B) && touch $@

# ---- compiler ----------------------------------------------------------
$(B)/plat: $(COMPILER_OBJ)
	$(CC) $(CFLAGS_BASE) $(OPT) -o $@ $^ -lm

$(B)/compiler/%.o: compiler/%.c $(wildcard compiler/*.h compiler/builtins/*.h) | $(B)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $(CFLAGS_$*) -c -o $@ $<

# A copied plat finds the runtime of the tree it was built in (last resort).
CFLAGS_drv_cc := -DPLAT_BUILD_ROOT='"$(CURDIR)"'

# Boehm GC's static library, next to libplatrt.a: the driver links it
# statically so built programs do not need libgc installed.
$(B)/libgc.a: | $(B)/.deps-ok
	@src=$$($(CC) -print-file-name=libgc.a); \
	  if [ "$$src" = libgc.a ] || [ ! -f "$$src" ]; then \
	    echo "make: libgc.a not found (install the Debian package libgc-dev)" >&2; exit 1; fi; \
	  cp "$$src" $@

# ---- the compiler-to-runtime contract ------------------------------------
# tools/rt_contract.c loads the built-in catalogue (a malformed row fails
# here) and writes C that calls every runtime function the catalogue and
# the emitter name, as the emitter calls them; it must compile with
# -Werror against the runtime's headers.  Every file of compiler/builtins/
# must be listed in catalogue_tables (compiler/catalogue.c).
rt-contract: $(B)/.rt-contract-ok
$(B)/rt_contract: tools/rt_contract.c $(COMPILER_LIB_OBJ)
	$(CC) $(CFLAGS_BASE) $(OPT) -o $@ $^ -lm
$(B)/.rt-contract-ok: $(B)/rt_contract $(wildcard runtime/*.h) compiler/catalogue.c
	@for f in compiler/builtins/*.c; do b=$$(basename $$f .c); \
	  grep -q "&bt_$$b" compiler/catalogue.c || { echo "$$f: its table is not listed in catalogue_tables (compiler/catalogue.c)"; exit 1; }; done
	$(B)/rt_contract > $(B)/rt_contract_check.c
	$(CC) -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -Iruntime $(B)/rt_contract_check.c
	@touch $@

# ---- compiler unit tests (tests/compiler/test_*.c, linked with the front end)
compiler-tests: $(COMPILER_TESTS)
$(B)/compiler-tests/%: tests/compiler/%.c $(COMPILER_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -o $@ $^ -lm

# ---- runtime -----------------------------------------------------------
rt: $(RTDIR)/libplatrt.a
$(RTDIR)/libplatrt.a: $(RT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(RTDIR)/rt/%.o: runtime/%.c $(wildcard runtime/*.h) | $(B)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $(RT_VFLAGS) -c -o $@ $<

$(RTDIR)/rt/%.S.o: runtime/%.S | $(B)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(RT_VFLAGS) -c -o $@ $<

# ---- tests -------------------------------------------------------------
rt-tests: $(RT_TESTS)
$(RTDIR)/rt-tests/%: tests/runtime/%.c $(RTDIR)/libplatrt.a $(wildcard tests/runtime/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $(RT_VFLAGS) $(RT_TEST_FLAGS) -Iruntime -o $@ $< $(RTDIR)/libplatrt.a $(RT_LIBS)
# compiled like generated code: every function checks its frame size first
ifeq ($(shell uname -m),x86_64)
$(RTDIR)/rt-tests/test_stack_frame: RT_TEST_FLAGS := -fsplit-stack
$(RTDIR)/rt-tests/test_stack_grow: RT_TEST_FLAGS := -fsplit-stack
endif

# The driver's debugging test needs gdb: installed here when missing (as
# root); otherwise that test fails and says why.
test: all rt-tests compiler-tests
	@tools/ensure-deps.sh gdb || true
	@tests/run.sh all

test-runtime: all rt-tests
	@tests/run.sh runtime

test-lang: all
	@tools/ensure-deps.sh gdb || true
	@tests/run.sh lang

# Sanitizer runs: the runtime tests and the language concurrency tests,
# with the runtime (and the generated programs) built under the sanitizer.
check-asan:
	$(MAKE) all
	$(MAKE) rt rt-tests VARIANT=asan
	@PLAT_VARIANT=asan tests/run.sh sanitize

check-tsan:
	$(MAKE) all
	$(MAKE) rt rt-tests VARIANT=tsan
	@PLAT_VARIANT=tsan tests/run.sh sanitize

clean:
	rm -rf $(B)

# ---- install: PREFIX/bin/plat and PREFIX/lib/plat (the runtime directory:
# libplatrt.a, libgc.a, include/, and the sanitizer variants when built).
# The installed plat finds PREFIX/lib/plat next to itself, so a prefix can
# be moved as a whole.  DESTDIR is prepended for staging.
PREFIX ?= /usr/local
install: all
	@test -n "$(PREFIX)" || { echo "make: PREFIX is empty" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/plat/include
	install -m 755 $(B)/plat $(DESTDIR)$(PREFIX)/bin/plat
	install -m 644 $(B)/libplatrt.a $(B)/libgc.a $(DESTDIR)$(PREFIX)/lib/plat/
	install -m 644 $(wildcard runtime/plat_*.h) $(DESTDIR)$(PREFIX)/lib/plat/include/
	@for v in asan tsan; do if [ -f $(B)/$$v/libplatrt.a ]; then \
	  install -d $(DESTDIR)$(PREFIX)/lib/plat/$$v && \
	  install -m 644 $(B)/$$v/libplatrt.a $(DESTDIR)$(PREFIX)/lib/plat/$$v/ || exit 1; fi; done

# Every object file and the runtime library, without linking the compiler
# (used to check that a merge still compiles while parts are missing).
objs: $(COMPILER_OBJ) $(RTDIR)/libplatrt.a

# ---- fuzzing: the front end (parser and checker)
# `make fuzz` builds build/fuzz_front with libFuzzer + ASan + UBSan and runs
# it FUZZ_SECONDS seconds on a corpus seeded from tests/ and examples/;
# crashing inputs are written to tests/fuzz/regress/.  The compiler's own
# sources are used unchanged (each input gets an arena of its own).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SRC     := $(filter-out compiler/main.c compiler/drv_%.c,$(COMPILER_SRC))
FUZZ_FLAGS   := -std=gnu11 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined $(FUZZ_FLAGS_EXTRA)
$(B)/fuzz_front: tests/fuzz/fuzz_front.c $(FUZZ_SRC) $(wildcard compiler/*.h)
	@mkdir -p $(B)
	@echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return (int)(d[0] + n) * 0; }' | \
	  $(FUZZ_CC) -fsanitize=fuzzer -x c - -o $(B)/.fuzz-probe 2>/dev/null || \
	  { echo "fuzz: $(FUZZ_CC) cannot link -fsanitize=fuzzer; install clang and its runtime (apt-get install clang libclang-rt-14-dev or similar)"; exit 1; }
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_front.c $(FUZZ_SRC) -lm

fuzz: $(B)/fuzz_front
	@mkdir -p $(B)/fuzz-corpus tests/fuzz/regress
	@for f in $$(find tests examples -name '*.plat' 2>/dev/null); do \
	  cp "$$f" "$(B)/fuzz-corpus/$$(echo "$$f" | tr / _)"; done
	$(B)/fuzz_front -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/plat.dict \
	  -artifact_prefix=tests/fuzz/regress/ -print_final_stats=1 \
	  $(B)/fuzz-corpus tests/fuzz/regress

# ---- benchmarks: Plat against Go, C and Crystal, see docs/BENCHMARKS.md ----
# `make bench` runs the full suite (BENCH_RUNS=5 rounds; BENCH_ARGS can hold
# --update-docs and benchmark names), installing Go and, optionally, Crystal
# (BENCH_CRYSTAL=0 leaves it out); `make bench-smoke` runs tiny sizes once
# and checks the answers only (no timings; Crystal only with BENCH_CRYSTAL=1).
.PHONY: bench-smoke
bench: all
	@bench/run.sh $(BENCH_ARGS)

bench-smoke: all
	@bench/run.sh --smoke $(BENCH_ARGS)

# C microbenchmarks of the scheduler (bench/c/, see docs/RUNTIME.md)
.PHONY: bench-c
bench-c: $(B)/libplatrt.a
	@mkdir -p $(B)/bench-c
	$(CC) $(CFLAGS_BASE) $(OPT) -Iruntime -o $(B)/bench-c/bench_rt bench/c/bench_rt.c $(B)/libplatrt.a $(RT_LIBS)
	@echo "== PLAT_WORKERS=1"; PLAT_WORKERS=1 $(B)/bench-c/bench_rt spawn switch chan
	@echo "== default workers"; $(B)/bench-c/bench_rt spawn chan wake

# ---- fuzz-gen: random well-typed programs (tests/fuzz/gen/plat_gen.c) are
# built and run; a checker rejection, an internal compiler error, a crash or
# an output differing from the generator's own evaluation fails the target.
GEN_SEED  ?= 1
GEN_COUNT ?= 200
.PHONY: fuzz-gen
fuzz-gen: all
	tests/fuzz/gen/run.sh $(GEN_SEED) $(GEN_COUNT)
