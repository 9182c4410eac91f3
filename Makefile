# Parley — the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing first (scripts/setup.sh).

GO            ?= go
export LANG   := C.UTF-8
BIN           := bin
STATICCHECK   := v0.8.2
# The app is built without Fyne's bundled colour emoji font (4 MB, parsed
# once per text style: 26 MiB of RSS, docs/media.md); emoji come from the
# system's fonts instead. migrated_fynedo: FyneApp.toml's [Migrations]
# fyneDo, without Fyne's per-refresh thread check (docs/media.md). Comma
# separated, for go build and fyne package alike; scripts started by make
# see it (export), and default to the same.
APP_TAGS      := no_emoji,migrated_fynedo
export APP_TAGS
# Tests run one package binary at a time per core; the media and call tests
# are real-time, so a generous timeout keeps a loaded CI machine green.
TEST_FLAGS    ?= -count=1 -timeout 15m

.PHONY: all setup setup-test build run demo server test test-short test-windows test-deb bench lint \
	package package-linux package-windows package-darwin screenshot screenshot-windows clean

all: build

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh test

build: setup
	$(GO) build -tags $(APP_TAGS) -o $(BIN)/parley .
	$(GO) build -o $(BIN)/parley-server ./cmd/parley-server
	# The live-captions worker sits next to parley-server, which finds it there.
	if pkg-config --exists pocketsphinx; then $(GO) build -o $(BIN)/parley-captions ./cmd/parley-captions; fi
	$(GO) build -o $(BIN)/parleyctl ./cmd/parleyctl

# The app; on first start it offers a local organization or joining one.
run: build
	$(BIN)/parley

# Two app windows as two users (alice, bob) against one local server.
demo: build
	scripts/demo.sh

server: build
	$(BIN)/parley-server

# The carried Fyne's own tests of what third_party/fyne.patch adds (its
# module is not part of ./...).
FYNE_TESTS = fyne.io/fyne/v2/internal/painter/software fyne.io/fyne/v2/internal/driver/common

test: setup-test
	scripts/vendor.sh -check
	$(GO) vet ./...
	$(GO) test $(TEST_FLAGS) ./...
	$(GO) test $(TEST_FLAGS) $(FYNE_TESTS)
	scripts/screenshot.sh $(BIN)/screenshot-test.png
	scripts/walkthrough.sh $(BIN)/walkthrough
	@if scripts/windows-ready.sh; then $(MAKE) --no-print-directory test-windows; else \
		echo "make test: test-windows skipped: $$(scripts/windows-ready.sh -why) (make test-windows sets it up, about 8 minutes once)"; fi
	@if scripts/deb-ready.sh; then $(MAKE) --no-print-directory test-deb; else \
		echo "make test: test-deb skipped: $$(scripts/deb-ready.sh -why) (make test-deb sets it up, about 6 minutes once)"; fi

# The Windows build under Wine: silent install, first screen, an E2EE call
# with a Linux Parley, silent uninstall (scripts/test-windows.sh).
test-windows: package-windows
	scripts/test-windows.sh $(BIN)

# The .deb on a clean Debian (debootstrap chroot, as root): apt-get install,
# first window under Xvfb, apt-get remove (scripts/test-deb.sh).
test-deb: package-linux
	scripts/test-deb.sh $(BIN)

bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

# The desktop app beside baresip: CPU and RSS in an E2EE call and idle,
# interleaved rounds, and both calls in the same windows
# (scripts/bench-peer.sh; ROUNDS, WARM, WINDOW, TOGETHER).
.PHONY: bench-peer
bench-peer:
	scripts/bench-peer.sh

# The server under N authenticated clients (cmd/parley-server BenchmarkLoad);
# not part of test or bench. PARLEY_LOAD_BIN=… measures another binary.
.PHONY: bench-load
bench-load: setup
	PARLEY_LOAD_N=$${PARLEY_LOAD_N:-1000,5000,10000} $(GO) test -run '^$$' -bench Load -benchtime 1x -timeout 60m -v ./cmd/parley-server

lint:
	@scripts/setup.sh lint
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...
	@# SC2034/SC2154: $$script is set by each script for lib.sh, which shellcheck cannot tell.
	@if command -v shellcheck >/dev/null; then shellcheck -x -S warning -e SC2034,SC2154,SC2155 scripts/*.sh; \
		else echo "lint: no shellcheck here: scripts not checked"; fi

# fyne package (pinned fyne tool) for this OS, into dist/; tracked files stay as they are.
ifeq ($(shell uname -s),Darwin)
package: package-darwin
else
package: package-linux
endif

# Linux: dist/Parley-<version>-linux-<arch>.tar.xz and dist/parley_<version>-<build>_<arch>.deb
package-linux:
	scripts/package-linux.sh

# Windows, cross-built here with mingw-w64: dist/Parley-Setup-<version>.exe (NSIS),
# dist/Parley-<version>-windows-amd64.zip (portable), dist/windows/Parley.exe.
package-windows:
	scripts/package-windows.sh

# macOS only (a Mac or .github/workflows/macos.yml): dist/Parley.app and a .dmg.
package-darwin:
	scripts/package-darwin.sh

# Refresh the README's screenshot of an E2EE call (two real windows under Xvfb).
screenshot: build
	scripts/screenshot.sh docs/e2ee-call.png
	VIDEO=1 scripts/screenshot.sh docs/video-call.png

# Refresh docs/windows-setup.png, docs/windows-first-screen.png and docs/windows-linux-video.png.
screenshot-windows: package-windows
	scripts/test-windows.sh docs

clean:
	rm -rf $(BIN) dist
