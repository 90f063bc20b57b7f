# okapi — top-level Makefile
#
#   make            build/okapid, build/okapictl
#   make check      install test deps, ASan+UBSan build, unit, config, topo
#                   and fuzz tests (see tests/run-all)
#   make demo       the built-in demo (see demo/demo.sh)
#   make install    binaries, systemd unit, sample config, man pages
#   make bench      okapid vs Linux bridge, Open vSwitch, vde_switch ->
#                   bench/RESULTS.md (see bench/README.md)
#   make soak       10 minutes of traffic, reloads and port flaps -> bench/SOAK.md
#
# SAN=1 builds with -fsanitize=address,undefined into build/san/.

CC       ?= gcc
PREFIX   ?= /usr/local
SAN      ?= 0
ifeq ($(SAN),1)
BUILD    ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD    ?= build
SANFLAGS :=
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wcast-qual -Wsign-compare -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -Isrc -Itests -D_GNU_SOURCE -MMD -MP
LDLIBS   := -ljson-c -lmnl -lpthread
CLI_LIBS := -ledit -ljson-c

# Everything under src/ except the two mains, the client and *_test.c goes
# into libokapi.a, which the daemon, unit tests and fuzz targets link.
LIB_SRCS := $(filter-out %_test.c src/core/main.c, \
              $(wildcard src/core/*.c src/lib/*.c src/dp/*.c src/config/*.c src/ctl/*.c))
CLI_SRCS := $(wildcard src/cli/*.c) src/lib/strbuf.c
TEST_SRCS := $(wildcard src/*/*_test.c)

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
TESTS    := $(TEST_SRCS:src/%.c=$(BUILD)/test/%)

.PHONY: all check demo install clean unit fuzz bench soak tidy
all: $(BUILD)/okapid $(BUILD)/okapictl

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libokapi.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/okapid: $(BUILD)/obj/src/core/main.o $(BUILD)/libokapi.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/okapictl: $(CLI_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CLI_LIBS)

$(BUILD)/test/%: $(BUILD)/obj/src/%.o $(BUILD)/libokapi.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

unit: $(TESTS)
	@fail=0; for t in $(TESTS); do \
	  if $$t >$$t.log 2>&1; then echo "PASS $$t"; else echo "FAIL $$t"; cat $$t.log; fail=1; fi; \
	done; exit $$fail

# Fuzz targets: clang + libFuzzer; see tests/fuzz/Makefile.
fuzz:
	$(MAKE) -C tests/fuzz

check:
	tests/run-all

demo: all
	demo/demo.sh

bench: all
	bench/switch/run

soak: all
	bench/soak/run

install: all
	install -D -m 0755 $(BUILD)/okapid $(DESTDIR)$(PREFIX)/sbin/okapid
	install -D -m 0755 $(BUILD)/okapictl $(DESTDIR)$(PREFIX)/bin/okapictl
	install -D -m 0644 packaging/okapid.service $(DESTDIR)/lib/systemd/system/okapid.service
	test -e $(DESTDIR)/etc/okapi/okapi.conf || \
	  install -D -m 0640 examples/okapi.conf $(DESTDIR)/etc/okapi/okapi.conf
	install -D -m 0644 man/okapid.8 $(DESTDIR)$(PREFIX)/share/man/man8/okapid.8
	install -D -m 0644 man/okapictl.8 $(DESTDIR)$(PREFIX)/share/man/man8/okapictl.8
	install -D -m 0644 man/okapi.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/okapi.conf.5

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
