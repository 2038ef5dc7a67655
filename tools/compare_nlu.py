"""`make eval`: our pipeline against Rasa's default one, on held-out Vietnamese as typed.

1. Trains our full model (`rasa train`, NLU and dialogue, from a cold cache) and
   times it: the figure to keep under five minutes on two cores.
2. Trains Rasa's default NLU pipeline (WhitespaceTokenizer, CountVectorsFeaturizer,
   DIETClassifier with `rasa init`'s 100 epochs and our seed) on the same data.
3. Trains both again, NLU only, on the hand-written examples alone (no
   generated variants), as they would meet a published data set.
4. Scores all four on every held-out file (intent accuracy and macro-F1, entity F1,
   procedure top-1), overall and per kind of text, and says where we are ahead.
5. Writes ``reports/nlu.md`` and ``reports/confusion_ours.png`` (git ignores
   ``reports/``) and prints one summary line last.

Usage: python -m tools.compare_nlu [--config config.yml] [--reuse]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence

from deploy.stack import rasa_env
from knowledge.base import KnowledgeBase
from tools.evaluate_nlu import HELDOUT_FILES, KINDS, Prediction, Score, load_all, predict, report, score

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
RASA = str(Path(sys.executable).parent / "rasa")
DEFAULT_PIPELINE = """# Rasa's default NLU pipeline as a team would start: whitespace tokens, word counts, DIET.
recipe: default.v1
language: vi
assistant_id: default-baseline
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 100
    random_seed: {seed}
policies: []
"""


DEFAULT_SEED = 42
DIET_NAMES = frozenset({"DIETClassifier", "DIETEntityExtractor"})


def is_diet(component: Dict[str, Any]) -> bool:
    """Rasa's DIET or our entities-only subclass (named by its module path)."""
    return component["name"].rsplit(".", 1)[-1] in DIET_NAMES


def _derived_config(config: Path, name: str, change: Callable[[Any], None]) -> Path:
    """A copy of ``config`` under reports/, changed by ``change`` (comments and order kept)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    change(data)
    path = REPORTS / f"config_{name}.yml"
    with open(path, "w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return path


def _seeded(config: Path, seed: int) -> Path:
    """Our config with DIET's seed changed, everything else as it is."""
    def reseed(data: Any) -> None:
        for component in data["pipeline"]:
            if is_diet(component):
                component["random_seed"] = seed

    return _derived_config(config, f"seed_{seed}", reseed)


def _variant(config: Path, name: str) -> Path:
    """Our config with one idea taken out, to measure what that idea is worth."""
    def change(data: Any) -> None:
        pipeline = data["pipeline"]
        if name == "no_char_ngrams":
            data["pipeline"] = [c for c in pipeline if c.get("analyzer") != "char_wb"]
        elif name == "no_compounds":
            pipeline[0]["compounds"] = False
        elif name == "no_syllables":
            data["pipeline"] = [c for c in pipeline
                                if not (c["name"].endswith("SyllableCountVectorsFeaturizer") and "analyzer" not in c)]
            for component in data["pipeline"]:
                if component["name"].endswith("SyllableCountVectorsFeaturizer"):
                    component["name"] = "CountVectorsFeaturizer"
        elif name == "diet_intents":
            data["pipeline"] = [c for c in pipeline if not c["name"].endswith("LinearIntentClassifier")]
            diet = next(c for c in data["pipeline"] if is_diet(c))
            diet["name"] = "DIETClassifier"
            diet["intent_classification"] = True
            diet["constrain_similarities"] = True
        elif name == "plus_surface_words":
            at = next(i for i, c in enumerate(pipeline) if is_diet(c))
            pipeline.insert(at, {"name": "CountVectorsFeaturizer", "use_lemma": False})
        else:
            raise ValueError(name)

    return _derived_config(config, name, change)


ABLATIONS = ("diet_intents", "no_syllables", "no_char_ngrams", "no_compounds")


def handwritten_nlu(source: Path = ROOT / "data" / "nlu") -> Path:
    """The hand-written training files alone (no generated variants), copied under reports/.

    Published intent data sets come without our generator; training both
    pipelines on these files shows what each pipeline does by itself.
    """
    import shutil

    target = REPORTS / "handwritten_nlu"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(source.glob("*.yml")):
        shutil.copy(path, target / path.name)
    return target


def train(args: List[str], name: str, log: Path) -> float:
    """Run ``rasa train ...`` with a fresh cache; return wall-clock seconds."""
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as cache, open(log, "w", encoding="utf-8") as out:
        started = time.monotonic()
        subprocess.run([RASA, *args, "--out", str(REPORTS / "models"), "--fixed-model-name", name],
                       cwd=ROOT, env={**rasa_env(), "RASA_CACHE_DIRECTORY": cache}, stdout=out,
                       stderr=subprocess.STDOUT, check=True)
        return time.monotonic() - started


def confusion_png(predictions: Sequence[Prediction], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    expected = [p.example.intent for p in predictions]
    got = [p.intent or "none" for p in predictions]
    labels = sorted(set(expected) | set(got))
    matrix = confusion_matrix(expected, got, labels=labels)
    fig, ax = plt.subplots(figsize=(11, 10))
    ax.imshow(matrix, cmap="Reds")
    ax.set_xticks(range(len(labels)), labels, rotation=90)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(title)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def comparison(ours: Dict[str, Score], default: Dict[str, Score]) -> List[str]:
    rows = ["| text | n | intent acc (ours / default) | macro-F1 | entity F1 | procedure top-1 | ahead on intent |",
            "|---|---:|---|---|---|---|---|"]
    for kind in (*KINDS, "overall"):
        o, d = ours.get(kind), default.get(kind)
        if not o or not d:
            continue
        gap = (o.intent_accuracy - d.intent_accuracy) * 100
        verdict = f"yes, +{gap:.1f} pts" if gap > 0 else ("level" if gap == 0 else f"no, {gap:.1f} pts")
        rows.append(
            f"| {kind} | {o.total} | {_pct(o.intent_accuracy)} / {_pct(d.intent_accuracy)} "
            f"| {o.intent_macro_f1:.3f} / {d.intent_macro_f1:.3f} | {o.entity_f1:.3f} / {d.entity_f1:.3f} "
            f"| {_pct(o.procedure_accuracy)} / {_pct(d.procedure_accuracy)} | {verdict} |"
        )
    return rows


def markdown(ours: Dict[str, Score], default: Dict[str, Score], train_s: float, default_s: float,
             files: Sequence[Path], errors: Sequence[str]) -> str:
    lines = [
        "# NLU evaluation: our pipeline against Rasa's default",
        "",
        f"Held-out files: {', '.join(f.name for f in files)} ({ours['overall'].total} utterances). "
        "No training file draws from them.",
        f"Full `rasa train` of our model from a cold cache: {train_s:.0f} s. "
        f"Default NLU pipeline training: {default_s:.0f} s.",
        "",
        *comparison(ours, default),
        "",
        "Procedure top-1 resolves the procedure as the bot does (NLU entity, then the message, through the "
        "knowledge-base search); a question back counts as a miss.",
        "",
        "![confusion matrix](confusion_ours.png)",
        "",
        "## Our misclassified utterances",
        "",
        *[f"- {line}" for line in errors],
        "",
    ]
    return "\n".join(lines)


def summary(ours: Dict[str, Score], default: Dict[str, Score], train_s: float,
            ours_hw: Dict[str, Score] | None = None, default_hw: Dict[str, Score] | None = None) -> str:
    parts = [f"eval: intent_acc={ours['overall'].intent_accuracy * 100:.1f}"]
    for kind in KINDS:
        if kind in ours:
            parts.append(f"{kind}={ours[kind].intent_accuracy * 100:.1f}")
    parts.append(f"macro_f1={ours['overall'].intent_macro_f1:.3f}")
    parts.append(f"entity_f1={ours['overall'].entity_f1:.3f}")
    parts.append(f"procedure_top1={ours['overall'].procedure_accuracy * 100:.1f}")
    parts.append(f"default_intent_acc={default['overall'].intent_accuracy * 100:.1f}")
    if "plain" in ours and "plain" in default:
        gap = (ours["plain"].intent_accuracy - default["plain"].intent_accuracy) * 100
        parts.append(f"plain_ahead_pts={gap:+.1f}")
    if ours_hw and default_hw:
        parts.append(f"handwritten_only_intent_acc={ours_hw['overall'].intent_accuracy * 100:.1f}")
        parts.append(f"handwritten_only_default={default_hw['overall'].intent_accuracy * 100:.1f}")
        if "plain" in ours_hw and "plain" in default_hw:
            gap = (ours_hw["plain"].intent_accuracy - default_hw["plain"].intent_accuracy) * 100
            parts.append(f"handwritten_only_plain_ahead_pts={gap:+.1f}")
    parts.append(f"train_s={train_s:.0f}")
    return " ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="our pipeline")
    parser.add_argument("--heldout", type=Path, nargs="+", default=[ROOT / f for f in HELDOUT_FILES])
    parser.add_argument("--reuse", action="store_true", help="score the models trained last time")
    parser.add_argument("--ablations", nargs="*", metavar="VARIANT",
                        help=f"also train variants of our pipeline, NLU only (default: {' '.join(ABLATIONS)}; "
                             "diet_intents lets DIET classify intents as before; "
                             "no_syllables keeps compounds only; "
                             "plus_surface_words adds a second bag of unfolded words)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="DIET's random seed for both pipelines (how much do the figures move between runs?)")
    args = parser.parse_args(argv)

    (REPORTS / "models").mkdir(parents=True, exist_ok=True)
    default_config = REPORTS / "default_config.yml"
    default_config.write_text(DEFAULT_PIPELINE.format(seed=args.seed), encoding="utf-8")
    if args.seed != DEFAULT_SEED:
        args.config = _seeded(args.config, args.seed)
    ours_model, default_model = REPORTS / "models" / "ours.tar.gz", REPORTS / "models" / "default.tar.gz"
    train_s = default_s = 0.0
    if not args.reuse:
        print("training our model (full rasa train, cold cache) ...", flush=True)
        train_s = train(["train", "--config", str(args.config), "--domain", "domain.yml", "--data", "data"],
                        "ours", REPORTS / "train_ours.log")
        print(f"  {train_s:.0f} s", flush=True)
        print("training Rasa's default NLU pipeline on the same data ...", flush=True)
        default_s = train(["train", "nlu", "--config", str(default_config), "--nlu", "data/nlu"],
                          "default", REPORTS / "train_default.log")
        print(f"  {default_s:.0f} s", flush=True)
    handwritten = {name: REPORTS / "models" / f"{name}.tar.gz" for name in ("ours_handwritten", "default_handwritten")}
    if not args.reuse or not all(path.exists() for path in handwritten.values()):
        nlu_dir = str(handwritten_nlu())
        print("training both pipelines on the hand-written examples only (NLU) ...", flush=True)
        for name, config in (("ours_handwritten", args.config), ("default_handwritten", default_config)):
            train(["train", "nlu", "--config", str(config), "--nlu", nlu_dir], name, REPORTS / f"train_{name}.log")
    examples = load_all(args.heldout)
    kb = KnowledgeBase()
    ours_pred = asyncio.run(predict(ours_model, examples, kb))
    default_pred = asyncio.run(predict(default_model, examples, kb))
    ours, default = score(ours_pred), score(default_pred)
    ours_hw, default_hw = (score(asyncio.run(predict(path, examples, kb))) for path in handwritten.values())
    confusion_png(ours_pred, REPORTS / "confusion_ours.png", "Our pipeline: intents on held-out utterances")
    errors = [f"[{k}] {line}" for k in KINDS for line in ours.get(k, Score()).errors]
    handwritten_lines = ["", "## Trained on the hand-written examples only", "",
                         "Both pipelines, NLU only, without the generated diacritic-free and shorthand "
                         "variants: what each pipeline does by itself, as on a published data set.", "",
                         *comparison(ours_hw, default_hw)]
    (REPORTS / "nlu.md").write_text(markdown(ours, default, train_s, default_s, args.heldout, errors)
                                    + "\n".join(handwritten_lines) + "\n", encoding="utf-8")
    print("\nours\n" + report(ours))
    print("\nRasa default pipeline\n" + report(default))
    print("\n" + "\n".join(comparison(ours, default)))
    print("\n".join(handwritten_lines))
    if args.ablations is not None:
        lines = ["", "## Variants of our pipeline (NLU only, same data and seed)", "",
                 "| pipeline | " + " | ".join(f"intent acc {k}" for k in (*KINDS, "overall")) + " | procedure top-1 |",
                 "|---|" + "---|" * (len(KINDS) + 2)]
        rows = {"ours": ours, "default": default}
        for name in args.ablations or ABLATIONS:
            if not (args.reuse and (REPORTS / "models" / f"{name}.tar.gz").exists()):
                print(f"training variant {name} ...", flush=True)
                train(["train", "nlu", "--config", str(_variant(args.config, name)), "--nlu", "data/nlu"],
                      name, REPORTS / f"train_{name}.log")
            rows[name] = score(asyncio.run(predict(REPORTS / "models" / f"{name}.tar.gz", examples, kb)))
        for name, scores in rows.items():
            lines.append(f"| {name} | " + " | ".join(_pct(scores[k].intent_accuracy) for k in (*KINDS, "overall"))
                         + f" | {_pct(scores['overall'].procedure_accuracy)} |")
        with open(REPORTS / "nlu.md", "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        print("\n".join(lines))
    print(f"\nreport: {REPORTS / 'nlu.md'}, confusion matrix: {REPORTS / 'confusion_ours.png'}")
    if train_s:
        print(f"full rasa train: {train_s:.0f} s ({'within' if train_s <= 300 else 'over'} the 5-minute target)")
    print(summary(ours, default, train_s, ours_hw, default_hw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
