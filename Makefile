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
#   make install       the module (for KVER), aifabctl, aifabd, man pages,
#                      udev rules, the systemd unit, an example configuration;
#                      DESTDIR and PREFIX (default /usr) are honoured
#   make uninstall     remove what make install put in place

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
	check demo lint clean install uninstall

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

# Where make install puts things. udev and systemd say where they read
# rules, units and module lists; their paths do not follow PREFIX.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
pkgvar = $(or $(shell pkg-config --variable=$(2) $(1) 2>/dev/null),$(3))
UDEVRULESDIR ?= $(call pkgvar,udev,udevdir,/usr/lib/udev)/rules.d
SYSTEMDUNITDIR ?= $(call pkgvar,systemd,systemdsystemunitdir,/usr/lib/systemd/system)
MODULESLOADDIR ?= $(call pkgvar,systemd,modulesloaddir,/usr/lib/modules-load.d)
INSTALL ?= install
MANPAGES := $(wildcard userspace/man/*.8)
UDEVRULES := $(wildcard udev/*.rules)

# The module goes through the kernel's modules_install, into
# /lib/modules/RELEASE/extra (compressed as that kernel wants), unsigned:
# Debian's headers carry no signing key. depmod runs unless DESTDIR is set,
# as a package's postinst does it on the target. The configuration itself,
# /etc/aifab/aifab.yaml, is the operator's: only the example is installed.
install: module userspace
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(MODULESLOADDIR) $(DESTDIR)$(SYSCONFDIR)/aifab
	$(INSTALL) -m 0755 $(BUILD)/userspace/aifabctl/aifabctl \
		$(BUILD)/userspace/aifabd/aifabd $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 $(UDEVRULES) $(DESTDIR)$(UDEVRULESDIR)/
	sed 's|/usr/sbin/aifabd|$(SBINDIR)/aifabd|' \
		userspace/aifabd/aifabd.service >$(BUILD)/aifabd.service
	$(INSTALL) -m 0644 $(BUILD)/aifabd.service $(DESTDIR)$(SYSTEMDUNITDIR)/
	echo aifab >$(BUILD)/aifab.conf
	$(INSTALL) -m 0644 $(BUILD)/aifab.conf $(DESTDIR)$(MODULESLOADDIR)/
	$(INSTALL) -m 0644 userspace/aifabd/aifab.yaml.example \
		$(DESTDIR)$(SYSCONFDIR)/aifab/
	$(MAKE) -C $(call kdir,$(KVER)) M=$(BUILD)/$(KVER) \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra \
		CONFIG_MODULE_SIG_ALL= modules_install
	$(if $(DESTDIR),,depmod -a $(call krel,$(KVER)))

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/aifabctl $(DESTDIR)$(SBINDIR)/aifabd
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MANPAGES)))
	rm -f $(addprefix $(DESTDIR)$(UDEVRULESDIR)/,$(notdir $(UDEVRULES)))
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/aifabd.service
	rm -f $(DESTDIR)$(MODULESLOADDIR)/aifab.conf
	rm -f $(DESTDIR)$(SYSCONFDIR)/aifab/aifab.yaml.example
	-rmdir $(DESTDIR)$(SYSCONFDIR)/aifab 2>/dev/null
	rm -f $(DESTDIR)/lib/modules/$(call krel,$(KVER))/extra/kmod/aifab.ko*
	$(if $(DESTDIR),,depmod -a $(call krel,$(KVER)))

clean:
	rm -rf $(BUILD) kmod/aifab.ko
	$(MAKE) -C selftests/aifab clean O=$(BUILD)/selftests
