"""Scores the plan-document extractor on the seed plans against their hand annotation (gold.json).

    .venv/bin/python bench/extraction_score.py [SEEDS_DIR] [--json]

SEEDS_DIR defaults to the `shared/seeds` folder beside the repository. It must hold gold.json and the
files it names. Prints, per document and in total, precision, recall and F1 of the targets (a target
matches when comparator, value and unit match, one to one) and of the areas. Exits 0 with a message
when the seeds are not there, so it can run anywhere.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cchc.plans.extraction import extract, read_text  # noqa: E402
from cchc.plans.extraction.scoring import Score, score_areas, score_targets  # noqa: E402

DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


def evaluate(seeds: Path) -> dict:
    """Per-document and total scores; the structure the --json option prints."""
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    documents = []
    targets_total, areas_total = Score(), Score()
    for document in gold["documents"]:
        plan = extract(read_text(seeds / document["file"]))
        targets = score_targets(plan, document.get("targets", []))
        areas = score_areas(plan, document.get("areas", []))
        targets_total += targets
        areas_total += areas
        documents.append({"file": document["file"], "targets": targets.as_json(), "areas": areas.as_json()})
    return {
        "documents": documents,
        "total": {"targets": targets_total.as_json(), "areas": areas_total.as_json()},
    }


def _row(name: str, score: dict) -> str:
    return (
        f"{name:<28} {score['found']:>5} {score['expected']:>5} {score['matched']:>5}"
        f" {score['precision']:>6.3f} {score['recall']:>6.3f} {score['f1']:>6.3f}"
    )


def print_table(result: dict) -> None:
    for part in ("targets", "areas"):
        print(f"{part:<28} {'found':>5} {'gold':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
        for document in result["documents"]:
            print(_row(document["file"], document[part]))
        print(_row("total", result["total"][part]))
        print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS, help="folder with gold.json")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    if not (args.seeds / "gold.json").is_file():
        print(f"No seeds at {args.seeds} (gold.json missing): nothing to score.")
        return 0
    result = evaluate(args.seeds)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
