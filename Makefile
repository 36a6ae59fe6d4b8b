# peixun — the front door. `make run` and `make test` work on a fresh Debian 12 machine as
# root (they install what is missing); see README.md.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= peixun.db
LISTEN     ?= 127.0.0.1:8080
# The demo accounts' password for `make run` (a demo database only; change it for real use).
DEMO_PASSWORD ?= Peixun-Demo-2023

.PHONY: all deps build web run test bench bench-ledger bench-timetable fuzz check-fresh format format-check clean

all: build

deps:
	@scripts/deps.sh run

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=false >/dev/null

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

web:
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

run: deps build web
	@if [ ! -f "$(DB)" ]; then $(BUILD)/src/cli/peixun --db "$(DB)" demo --password "$(DEMO_PASSWORD)"; fi
	@echo ""
	@echo "  peixun: http://$(LISTEN)/"
	@echo "  demo logins (password $(DEMO_PASSWORD)):"
	@echo "    sysadmin  系统管理员        admin     南安市组织部管理员"
	@echo "    manager   班主任            expert1   授课专家"
	@echo "    liaison1  溪美街道联络员    trainee1  学员(一把手)"
	@echo "    viewer1   市委领导(只读)"
	@echo ""
	exec $(BUILD)/src/cli/peixun --db "$(DB)" serve --listen "$(LISTEN)"

test:
	@scripts/deps.sh test
	@scripts/test.sh

bench:
	@scripts/deps.sh bench
	@bench/run.sh

bench-ledger:
	@scripts/deps.sh bench
	@bench/ledger.sh

bench-timetable:
	@scripts/deps.sh build
	@bench/timetable.sh

fuzz:
	@scripts/deps.sh test
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# The README's two commands on a bare Debian 12 (debootstrap): minutes, not part of `make test`.
check-fresh:
	@scripts/deps.sh fresh
	@scripts/check-fresh.sh

format:
	clang-format -i $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/dist tests/out
