"""Writes eval/cases/*.jsonl: python eval/cases/generator/generate.py eval/cases

The expectations in these modules were written by hand from CONTRACT.md, never from the
product's output. Edit a module, re-run, review the diff of the JSONL files."""
import sys
import gen_reasons, gen_boundaries, gen_more, gen_turns
from gen_base import write
write(sys.argv[1])
