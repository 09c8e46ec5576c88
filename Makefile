# gcrun's developer targets. `make test` is what CI runs (through .ci/run).
GO       ?= go
PKGS     := ./...
FUZZTIME ?= 10s
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: all test unit race packs fuzz bench build lint fuzz-long clean

all: lint test build

## test: the whole suite: lint, unit tests (with the real tools as oracles
## where installed), the race detector on the concurrent packages, and a
## short run of every fuzz target.
test: lint unit race packs fuzz

unit:
	$(GO) test -count=1 $(PKGS)

race:
	$(GO) test -count=1 -race -short ./checks/... ./engine/... ./report/... ./runner/...

# The packs shipped here pass their own lint and tests, as a team's CI
# would run them (examples/ci).
packs:
	$(GO) run ./cmd/gcrun check baselines/linux examples/packs/acme
	$(GO) run ./cmd/gcrun test baselines/linux examples/packs/acme --coverage-min 95

# Each fuzz target runs briefly here; `make fuzz-long` is for soak runs.
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) .ci/fuzz.sh

fuzz-long:
	$(MAKE) fuzz FUZZTIME=10m

## bench: Go benchmarks with allocations (engine, collectors, images, versions,
## reports, and the default baseline on this host); figures go into issue notes.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./engine/ ./checks/... ./report/ ./runner/ ./runner/agent/ ./runner/serve/...

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/gcrun ./cmd/gcrun

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) mod tidy -diff

clean:
	rm -rf bin
