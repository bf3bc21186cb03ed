# Makefile - stepbench: one non-recursive build, every output under build/.
#
#   make            build build/stepbench (-O2 -g)
#   make run        run the scenarios in scenarios/, JUnit to build/reports/junit.xml
#   make test       unit (Check), conformance and integration tests
#   make asan       the same tests built with AddressSanitizer + UBSan
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS (clang)
#   make valgrind   unit and conformance tests under valgrind
#   make coverage   gcov/lcov report of the unit tests
#   make stress     tests with tiny arena chunks and fail-Nth allocation
#   make fmt        clang-format every source file
#   make check-deps fail on an #include edge that breaks DESIGN.md's layering
#   make clean
#
# Sources are found by folder, so a new .c file needs no edit here. Test
# suites register themselves (see tests/check_main.c).

BUILD    ?= build
CC       ?= cc
OPT      ?= -O2 -g
SAN      ?=
FUZZ_SECONDS ?= 60

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wwrite-strings -Wundef -Wformat=2 -Wvla
CPPFLAGS := -I. -D_GNU_SOURCE -MMD -MP $(EXTRA_CPPFLAGS)
CFLAGS   := $(OPT) $(WARN) $(SAN) $(EXTRA_CFLAGS)
LDFLAGS  := $(SAN) $(EXTRA_LDFLAGS)
LIBS     := -lcivetweb -lcjson -llmdb -lpcre2-8 -lz -lpthread -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -pthread)

LIB_DIRS := common engine mocks runner reports
LIB_SRCS := $(shell find $(LIB_DIRS) -name '*.c' 2>/dev/null | sort)
CLI_SRCS := $(sort $(wildcard cli/*.c))
UNIT_SRCS := tests/check_main.c $(shell find tests/unit -name '*.c' 2>/dev/null | sort)
CONF_SRCS := $(sort $(wildcard tests/conformance/*.c))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJS := $(call obj,$(LIB_SRCS))
LIB      := $(BUILD)/libstepbench.a
BIN      := $(BUILD)/stepbench
UNIT_BIN := $(BUILD)/tests/unit
CONF_BINS := $(patsubst tests/conformance/%.c,$(BUILD)/tests/conformance/%,$(CONF_SRCS))
SUITES_INC := $(BUILD)/gen/suites.inc

.PHONY: all deps run test test-run asan valgrind coverage stress fuzz fmt check-deps clean
.DEFAULT_GOAL := all

all: deps $(BIN)

deps:
	@sh scripts/deps.sh

# common/ is held to -Wconversion already (STYLE C9).
$(BUILD)/obj/common/%.o: CFLAGS += -Wconversion

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(call obj,$(CLI_SRCS)) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(CLI_SRCS)) $(LIB) $(LIBS)

# Every `Suite *suite_<name>(void)` definition under tests/unit becomes one
# entry of the generated list that tests/check_main.c runs.
$(SUITES_INC): $(UNIT_SRCS)
	@mkdir -p $(@D)
	@grep -ho '^Suite \*suite_[a-z0-9_]*(void)' $(filter tests/unit/%,$^) /dev/null \
	  | sed 's/^Suite \*\(suite_[a-z0-9_]*\)(void)/SUITE(\1)/' | sort -u > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(call obj,$(UNIT_SRCS)): | $(SUITES_INC)
$(BUILD)/obj/tests/check_main.o: $(SUITES_INC)
$(BUILD)/obj/tests/%.o: CPPFLAGS += -I$(BUILD)/gen

$(UNIT_BIN): $(call obj,$(UNIT_SRCS)) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(UNIT_SRCS)) $(LIB) $(LIBS) $(CHECK_LIBS)

$(BUILD)/tests/conformance/%: $(BUILD)/obj/tests/conformance/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LIBS)

run: all
	@mkdir -p $(BUILD)/reports
	./$(BIN) run scenarios --junit $(BUILD)/reports/junit.xml

test: deps
	@$(MAKE) --no-print-directory test-run

# The test programs, then scripts/test.sh runs them in order and fails on the
# first failing stage.
test-run: $(BIN) $(UNIT_BIN) $(CONF_BINS)
	@BUILD=$(BUILD) sh scripts/test.sh

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test-run

stress: deps
	@$(MAKE) --no-print-directory BUILD=build/stress OPT="-O1 -g" \
	  EXTRA_CPPFLAGS=-DSTEPBENCH_STRESS test-run

coverage: deps
	@$(MAKE) --no-print-directory BUILD=build/coverage OPT="-O0 -g" \
	  SAN=--coverage test-run
	@command -v lcov >/dev/null && lcov -q -c -d build/coverage -o build/coverage/lcov.info \
	  && genhtml -q -o build/coverage/html build/coverage/lcov.info \
	  && echo "coverage: build/coverage/html/index.html" || echo "coverage: install lcov for the HTML report"

valgrind: deps $(UNIT_BIN) $(CONF_BINS)
	@CK_FORK=no VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full" \
	  BUILD=$(BUILD) STAGES="unit conformance" sh scripts/test.sh

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" fuzz-run

FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(LIB) $(LIBS)

.PHONY: fuzz-run
fuzz-run: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  n=$$(basename $$f); mkdir -p $(BUILD)/corpus/$$n; \
	  seeds=tests/fuzz/corpus/$$n; [ -d $$seeds ] || seeds=; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	      -print_final_stats=1 $(BUILD)/corpus/$$n $$seeds || exit 1; \
	done

fmt:
	clang-format -i $$(find common engine mocks runner reports cli tests bench -name '*.[ch]')

check-deps:
	@sh scripts/check-deps.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
