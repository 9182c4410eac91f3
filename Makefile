# Parley — the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing first (scripts/setup.sh).

GO            ?= go
export LANG   := C.UTF-8
BIN           := bin
FYNE_VERSION  := v1.7.4
STATICCHECK   := v0.8.2
GOBIN         := $(shell $(GO) env GOPATH)/bin
# Tests run one package binary at a time per core; the media and call tests
# are real-time, so a generous timeout keeps a loaded CI machine green.
TEST_FLAGS    ?= -count=1 -timeout 15m

.PHONY: all setup setup-test build run demo server test test-short bench lint package screenshot clean

all: build

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh test

build: setup
	$(GO) build -o $(BIN)/parley .
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

test: setup-test
	$(GO) vet ./...
	$(GO) test $(TEST_FLAGS) ./...
	scripts/screenshot.sh $(BIN)/screenshot-test.png

bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

# The server under N authenticated clients (cmd/parley-server BenchmarkLoad);
# not part of test or bench. PARLEY_LOAD_BIN=… measures another binary.
.PHONY: bench-load
bench-load: setup
	PARLEY_LOAD_N=$${PARLEY_LOAD_N:-1000,5000,10000} $(GO) test -run '^$$' -bench Load -benchtime 1x -timeout 60m -v ./cmd/parley-server

lint: setup
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...

# fyne package for the host OS, with the pinned fyne tool.
package: setup
	$(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)
	$(GOBIN)/fyne package --release

# Refresh the README's screenshot of an E2EE call (two real windows under Xvfb).
screenshot: build
	scripts/screenshot.sh docs/e2ee-call.png

clean:
	rm -rf $(BIN)
