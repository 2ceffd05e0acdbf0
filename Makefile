# hashtag: the two commands that do everything are
#   make run    build the browser model if none is present, build the static site, serve it
#   make test   install what the tests need (Go modules, Chromium), then run every check and test
# Everything else is a step of those two, or a documented way to rebuild an artefact.

GO       ?= go
BIN      := bin/hashtag
SITE     := site
ADDR     ?= 127.0.0.1:8080
SAMPLE   := assets/sample/howyoutag
MODEL    := assets/model.bin
GOROOT   := $(shell $(GO) env GOROOT)
WASMPATH := $(GOROOT)/lib/wasm:$(GOROOT)/misc/wasm:$(PATH)

.PHONY: run test deps vet fmt-check unit wasm-test site serve bin report clean browser-model e2e screenshot

run: site
	$(BIN) serve --dir $(SITE) --addr $(ADDR)

bin:
	$(GO) build -o $(BIN) ./cmd/hashtag

# The committed browser model; rebuilt from the bundled sample only when absent.
# Settings for a small corpus chosen on the sample's validation split (README).
$(MODEL): | bin
	$(BIN) train --resume --method hmemn2n-copy --lr 0.02 --dropout 0.5 --hops 3 --epochs 6 --out .cache/sample-model $(SAMPLE)
	$(BIN) export --model .cache/sample-model/model.bin --out $(MODEL) --vocab 20000 $(SAMPLE)

# Rebuild the committed browser model from the IRA corpus in ../shared (about
# 25 minutes on 2 cores): train HMemN2N+copy (resumable), export it compact,
# measure every size-reduction step, and refresh the conformance fixture that
# make test replays natively and in WebAssembly.
IRA      := ../shared/data/ira/ira_tweets.csv.gz
IRAMODEL := .cache/copy-ira-random
browser-model: bin
	$(BIN) train --resume --method hmemn2n-copy --epochs 4 --patience 1 --lr 0.05 --out $(IRAMODEL) $(IRA)
	$(BIN) export --model $(IRAMODEL)/model.bin --out $(MODEL) \
		--vocab 15000 --mem-vocab 3000 --mem-tag-min 10 --emb int4 --output int8 --dense int8 \
		--table --fixture model/conformance/testdata/fixture.json.gz $(IRA)

site: bin $(MODEL)
	$(BIN) site --out $(SITE) --model $(MODEL)

test: deps vet fmt-check unit wasm-test

deps:
	$(GO) mod download
	bash scripts/install-chromium.sh

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The trainer once more with -tags purego: the plain-Go fallbacks of the
# AVX2 kernels (what other architectures run), built as such.
unit:
	$(GO) test -count=1 -timeout 25m ./...
	$(GO) test -count=1 -timeout 10m -tags purego ./trainer/...

# The model package and the readers, run as WebAssembly under Node.
wasm-test:
	GOOS=js GOARCH=wasm PATH=$(WASMPATH) $(GO) test -count=1 ./model/...

# The browser tests alone, verbose (latency, sizes, request counts; screenshots
# in .cache/screens or $$TEST_ARTIFACTS). "make unit" runs them too.
e2e:
	bash scripts/install-chromium.sh
	$(GO) test -count=1 -timeout 5m -v -run TestBrowser ./ui/e2e

# Refresh the README's docs/screenshot.png from the browser test (deliberately).
screenshot:
	HASHTAG_UPDATE_SCREENSHOT=1 $(GO) test -count=1 -timeout 5m -v -run TestBrowser ./ui/e2e

report: bin
	$(BIN) experiments

clean:
	rm -rf bin $(SITE)
