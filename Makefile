# Conveniences over dev.py (the README's commands need only Python, not make).
.PHONY: serve test lint bench

serve:
	python3 dev.py serve

test:
	python3 dev.py test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

bench:
	.venv/bin/python bench/pages.py
