# spec-dispatch — two commands matter: `make demo` and `make test`.
# Both install what is missing (libgit2-dev via apt-get, with sudo when not root).

SWIFT     ?= swift
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
SHAREDIR  ?= $(PREFIX)/share/spec-dispatch
CONFIG    ?= release
BIN        = .build/$(CONFIG)/spec-dispatch
SUDO      := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps build test demo install uninstall bench clean

all: build

# Installs only what is missing, so a prepared machine pays nothing. Tests also drive tmux
# and fake agents written in Python.
deps:
	@missing=""; \
	pkg-config --exists libgit2 2>/dev/null || missing="$$missing libgit2-dev pkg-config"; \
	command -v git >/dev/null 2>&1 || missing="$$missing git"; \
	if [ -n "$(filter test bench,$(MAKECMDGOALS))" ]; then \
	  command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	  command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@pkg-config --atleast-version=1.5.0 libgit2 || { echo "spec-dispatch needs libgit2 1.5 or later; this machine has $$(pkg-config --modversion libgit2)" >&2; exit 1; }
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "spec-dispatch needs Swift 6.1 or later ($(SWIFT) is not on PATH)" >&2; exit 1; }

# A static Swift runtime starts ~3 ms faster than the shared one (Foundation and ICU need no
# relocation), which every command and hook pays.
build: deps
	$(SWIFT) build -c $(CONFIG) --product spec-dispatch --static-swift-stdlib

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	$(BIN) demo

# The templates and hooks are built into the binary: installing is copying it onto PATH.
install: build
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 -s $(BIN) $(DESTDIR)$(BINDIR)/spec-dispatch
	ln -sf spec-dispatch $(DESTDIR)$(BINDIR)/git-dispatch


# Also removes the share/spec-dispatch folder that earlier installs wrote.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/spec-dispatch $(DESTDIR)$(BINDIR)/git-dispatch
	rm -rf $(DESTDIR)$(SHAREDIR)

bench: build
	Benchmarks/run.sh

clean:
	rm -rf .build
