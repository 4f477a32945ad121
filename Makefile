# SPDX-License-Identifier: GPL-2.0
#
# aifab: the module for two kernels, the userspace, the tests and the tools.
#
#   make deps          install every dependency from Debian's packages (root)
#   make [KVER=6.1]    build kmod (for 6.12 by default), the userspace and
#                      the tools (allreduce, accel_bench)
#   make demo          the main job: tenants, all-reduce, isolation, a link
#                      failure and a scrub, in a 6.12 VM (tools/demo/demo)
#   make check         host unit tests, the selftests in a VM per kernel,
#                      then the demo
#   make lint          checkpatch --strict, sparse, cppcheck and clang-tidy

KVER ?= 6.12
KVERS := 6.12 6.1
SRC := $(CURDIR)
BUILD := $(SRC)/build
KSRC_TAR := /usr/src/linux-source-6.12.tar.xz
KSRC := $(BUILD)/linux-source-6.12

# Kernel build flags: warnings are errors, W=1 everywhere.
KBUILD_ARGS := W=1 KCFLAGS=-Werror

krel = $(shell $(SRC)/tools/kver $(1))
kdir = /lib/modules/$(call krel,$(1))/build

.PHONY: all deps module modules-all userspace tools selftests test-modules \
	check demo lint clean

all: module userspace tools

deps:
	sh tools/install-deps

# Each kernel builds in build/<kver>/, a tree of symlinks to the sources, so
# the two builds never overwrite each other's objects.
define mirror_tree
	mkdir -p $(1)/kmod
	ln -sfn $(SRC)/include $(1)/include
	ln -sf $(SRC)/Kbuild $(1)/Kbuild
	for f in $(SRC)/kmod/Kbuild $(SRC)/kmod/*.[ch]; do \
		ln -sf $$f $(1)/kmod/; done
	find $(1)/kmod -xtype l -delete
endef

module:
	@test -n "$(call krel,$(KVER))" || exit 1
	$(call mirror_tree,$(BUILD)/$(KVER))
	$(MAKE) -C $(call kdir,$(KVER)) M=$(BUILD)/$(KVER) $(KBUILD_ARGS) \
		$(KBUILD_EXTRA) modules
	@if [ "$(KVER)" = 6.12 ]; then ln -sf ../build/6.12/kmod/aifab.ko kmod/aifab.ko; fi

modules-all:
	for v in $(KVERS); do $(MAKE) module KVER=$$v || exit 1; done

userspace:
	$(MAKE) -C userspace O=$(BUILD)/userspace

# The C tools on the userspace library: build/tools/allreduce/allreduce and
# build/tools/bench/accel_bench.
tools: userspace
	$(MAKE) -C tools O=$(BUILD)/tools \
		LIBAIFAB=$(BUILD)/userspace/lib/libaifab.a

# kselftest_harness.h and checkpatch come from Debian's linux-source-6.12,
# extracted at build time and never copied into the repository.
$(KSRC)/.extracted: $(KSRC_TAR)
	rm -rf $(KSRC) && mkdir -p $(KSRC)
	tar -xJf $(KSRC_TAR) -C $(KSRC) --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/kernel-doc' \
		'*/scripts/const_structs.checkpatch' \
		'*/tools/net/ynl/*' '*/Documentation/netlink/genetlink.yaml'
	touch $@

$(KSRC_TAR):
	@echo "$@ is missing: run 'make deps' as root" >&2; exit 1

selftests: $(KSRC)/.extracted
	$(MAKE) -C selftests/aifab O=$(BUILD)/selftests \
		KSFT_INCLUDE=$(KSRC)/tools/testing/selftests

# A tiny module that WARNs at load, to prove vm-run catches kernel warnings.
test-modules:
	for v in $(KVERS); do \
		mkdir -p $(BUILD)/$$v/warn && \
		ln -sf $(SRC)/tools/tests/warn-module/Kbuild \
			$(SRC)/tools/tests/warn-module/aifab_test_warn.c $(BUILD)/$$v/warn/ && \
		$(MAKE) -C /lib/modules/$$($(SRC)/tools/kver $$v)/build \
			M=$(BUILD)/$$v/warn $(KBUILD_ARGS) modules || exit 1; \
	done

check: modules-all userspace tools selftests test-modules
	tools/check

demo: module userspace tools
	tools/demo/demo

lint: $(KSRC)/.extracted
	tools/lint

clean:
	rm -rf $(BUILD) kmod/aifab.ko
	$(MAKE) -C selftests/aifab clean O=$(BUILD)/selftests
