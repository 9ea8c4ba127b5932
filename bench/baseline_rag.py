"""A naive LangChain RAG bot over the same Chroma collection, for side-by-side comparison.

Built the way the LangChain RAG tutorial builds one: a retriever over the vector store, the
tutorial's prompt, a chat model and a string parser, chained with LCEL:

    {"context": retriever | format_docs, "question": passthrough} | prompt | llm | StrOutputParser()

The chat model is langchain-core's `GenericFakeChatModel` (no network, no weights). Fed the
retrieved context it returns that context as its answer: an *extractive* stand-in that answers
as well as the retrieved policy text allows and never invents. It cannot read the account, so
this measures what retrieval alone contributes; a real LLM would add latency and, with the
snapshot pasted into the prompt, might guess some reasons, but nothing checks its guesses.

Quality is scored on the public suite with the same evaluators as `limit-assistant eval`. A
RAG bot returns no intent or codes, so we read them generously from what it retrieved: a
reason code is "named" when its primary policy section was retrieved, and its steps follow it;
the intent is unknown (None), `handoff` and `refused` are always false.

    python bench/baseline_rag.py [--k 3] [--json figures.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROMPT = (
    "You are an assistant for question-answering tasks. Use the following pieces of retrieved "
    "context to answer the question. If you don't know the answer, just say that you don't know. "
    "Use three sentences maximum and keep the answer concise.\n"
    "Customer account: {account}\nQuestion: {question}\nContext: {context}\nAnswer:"
)


class ChromaRetriever:
    """A LangChain `BaseRetriever` over the assistant's Chroma collection (built lazily)."""

    @staticmethod
    def build(settings: Any, k: int) -> Any:
        from langchain_core.callbacks import CallbackManagerForRetrieverRun
        from langchain_core.documents import Document
        from langchain_core.retrievers import BaseRetriever

        from knowledge.embedders import get_embedder
        from knowledge.retrieval import get_retriever
        from knowledge.vectorstore import collection_name, embedding_function_class, open_client

        get_retriever(settings)  # builds the index if it is missing, like the assistant would
        embedder = get_embedder(settings.embedder)
        collection = open_client(settings).get_collection(
            collection_name(embedder), embedding_function=embedding_function_class()(embedder))

        class _Retriever(BaseRetriever):
            def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
                found = collection.query(query_texts=[query], n_results=k, where={"kind": "chunk"},
                                         include=["documents", "metadatas"])
                return [Document(page_content=text, metadata=meta or {})
                        for text, meta in zip(found["documents"][0], found["metadatas"][0])]

        return _Retriever()


class _EchoContext(Iterator[Any]):
    """Feeds GenericFakeChatModel: each call answers with the context of the current prompt."""

    def __init__(self) -> None:
        self.context = ""

    def __next__(self) -> Any:
        from langchain_core.messages import AIMessage

        return AIMessage(content=self.context or "I don't know.")


def build_chain(settings: Any, k: int = 3) -> tuple[Any, Any]:
    """(chain, retriever): chain.invoke({"question", "account"}) -> answer text."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnableLambda

    retriever = ChromaRetriever.build(settings, k)
    echo = _EchoContext()
    llm = GenericFakeChatModel(messages=echo)

    def retrieve(inputs: dict[str, Any]) -> dict[str, Any]:
        docs = retriever.invoke(inputs["question"])
        echo.context = "\n\n".join(d.page_content for d in docs)
        return {**inputs, "context": echo.context, "docs": docs}

    prompt = ChatPromptTemplate.from_template(PROMPT)
    chain = RunnableLambda(retrieve) | (lambda x: {k: x[k] for k in ("context", "question", "account")}) | prompt | llm | StrOutputParser()
    return chain, retriever


def baseline_output(answer: str, section_ids: list[str]) -> dict[str, Any]:
    """The RAG bot's answer in the `ask` shape, codes read generously from what it retrieved."""
    from tools.catalogue import catalogue

    cat = catalogue()
    retrieved = set(section_ids)
    codes = [code for code, spec in cat.reasons.items() if spec.policy_refs and spec.policy_refs[0] in retrieved]
    steps: list[str] = []
    for code in codes:
        steps += [s for s in cat.reasons[code].steps if s not in steps]
    return {"answer": answer, "intent": None, "reason_codes": codes, "next_steps": steps,
            "citations": [{"doc_id": "", "section_id": s, "title": ""} for s in dict.fromkeys(section_ids)],
            "handoff": False, "refused": False}


def score_suite(chain: Any, retriever: Any, case_files: list[Path]) -> dict[str, Any]:
    """Run the public suite through the RAG bot and score it with the eval's evaluators."""
    from assistant.evaluation.cases import load_cases
    from assistant.evaluation.evaluators import judge
    from assistant.evaluation.metrics import summarise
    from assistant.evaluation.runner import CaseOutcome, TurnOutcome

    sources, _ = load_cases(case_files)
    outcomes, started = [], time.perf_counter()
    for source in sources:
        case = source.case
        judged = dict(case.judged())
        account = json.dumps(case.account or {"account_id": case.account_id}, ensure_ascii=False, default=str)
        turns = []
        for index, turn in enumerate(case.turns):
            t0 = time.perf_counter()
            docs = retriever.invoke(turn.user)
            answer = chain.invoke({"question": turn.user, "account": account})
            ms = (time.perf_counter() - t0) * 1000
            output = baseline_output(answer, [d.metadata.get("section_id", "") for d in docs])
            expected = judged[index].model_dump(exclude_none=True) if index in judged else {}
            turns.append(TurnOutcome(user=turn.user, output=output, checks=[], expect=judge(expected, output),
                                     expected=expected, latency_ms=ms, allowed_sections=[]))
        outcomes.append(CaseOutcome(id=case.id, file=source.file, line=source.line, run=0,
                                    passed=all(all(t.expect.values()) for t in turns), turns=turns))
    summary = summarise([outcomes], wall_s=time.perf_counter() - started)
    without_intent = [o for o in outcomes if all(ok for t in o.turns for key, ok in t.expect.items() if key != "intent")]
    summary["pass_rate_without_intent"] = round(len(without_intent) / len(outcomes), 4) if outcomes else None
    return summary


def latency(chain: Any, questions: list[str], rounds: int) -> dict[str, float]:
    samples = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            chain.invoke({"question": question, "account": "{}"})
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(samples[len(samples) // 2], 2), "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
            "n": len(samples)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from assistant.settings import load_settings
    from bench.ask import QUESTIONS

    chain, retriever = build_chain(load_settings(), args.k)
    figures = {"latency": latency(chain, [q for _, q, _ in QUESTIONS], args.rounds),
               "quality": score_suite(chain, retriever, sorted((ROOT / "eval" / "cases").glob("*.jsonl")))}
    q = figures["quality"]
    print(f"baseline RAG latency p50 {figures['latency']['p50_ms']} ms, p95 {figures['latency']['p95_ms']} ms")
    print(f"baseline RAG public suite: pass rate {q['pass_rate']}, without intent {q['pass_rate_without_intent']}")
    for key, value in q["by_key"].items():
        print(f"  {key:18} {value['rate']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
