# planverk: thin wrappers over the build (meson) and the scripts in scripts/.
#   make run    install what is missing, build, create the demo database, serve on :8080
#   make test   build (also with ASan+UBSan) and run every test; ends with "N passed, M failed"
#   make build  build build/planverk          make bench   wrk: planverk against nginx
#   make fuzz   run each libFuzzer target 60 s make clean   remove build outputs
PORT ?= 8080
LISTEN ?= 127.0.0.1
DB ?= var/planverk.db

.PHONY: all build run test bench fuzz deps clean

all: build

deps:
	@scripts/deps

build: deps
	@scripts/build release

run: build
	@mkdir -p $(dir $(DB))
	@build/planverk init --demo --db $(DB)
	build/planverk serve --listen $(LISTEN) --port $(PORT) --db $(DB)

test: deps
	@scripts/test

bench: build
	@bench/run

fuzz: deps
	@scripts/fuzz

clean:
	rm -rf build build-asan build-fuzz
