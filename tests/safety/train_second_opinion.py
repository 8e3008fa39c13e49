"""Train the risk second opinion (kindred/safety/second_opinion.npz) on the development half.

    make train-second-opinion                             # cross-validate, train, write
    .venv/bin/python -m tests.safety.train_second_opinion --check   # figures only

Only development rows (tests/safety/evaluation.py) are read: the held-out half is never seen,
so its figures in `make bench` stay an honest estimate. The regularisation and the threshold
are chosen by five-fold cross-validation on the development half: the threshold is the highest
one whose cross-validated recall of high or imminent (lexicon and second opinion together, the
second opinion asked only where `second_opinion.consulted` says) reaches TARGET_RECALL, so
precision is as high as that recall allows. Training is deterministic (full-batch, no
sampling): the same rows and lexicon give the same file.
"""

import json
import sys
import time

import numpy as np

from kindred.safety import embedding, risk, second_opinion
from tests.safety.evaluation import URGENT, rows

# A margin over the target of 0.95: see docs/safety.md, "Choosing the threshold".
TARGET_RECALL = 0.96
HIGH_PRECISION = 0.9  # reported beside the chosen threshold, not used
REGULARISATION = (3e-4, 1e-4)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.05, 0.951, 0.01))
FOLDS = 5
STEPS = 600
REFERENCE_TEXTS = (
    "I just want it all to stop.",
    "this OSCE is killing me lol",
    "I'm not going to hurt myself, I promise. Just tired.",
    "gave my textbooks away to the first years, won't be needing them where I'm going",
    "all good here, see you at teaching",
)


def fit(x: np.ndarray, y: np.ndarray, regularisation: float) -> tuple[np.ndarray, float]:
    """Logistic regression with an L2 penalty, by full-batch Adam."""
    w = np.zeros(x.shape[1])
    b = 0.0
    m, v, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    for step in range(1, STEPS + 1):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = x.T @ (p - y) / len(y) + regularisation * w
        gb = float((p - y).mean())
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        scale = 0.05 * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        w -= scale * m / (np.sqrt(v) + 1e-8)
        b -= scale * mb / (np.sqrt(vb) + 1e-8)
    return w, b


def cross_validate(x, y, lexicon_urgent, asked, regularisation) -> dict[float, tuple[float, float]]:
    folds = np.random.default_rng(0).permutation(len(y)) % FOLDS
    chance = np.zeros(len(y))
    for fold in range(FOLDS):
        train = folds != fold
        w, b = fit(x[train], y[train], regularisation)
        chance[~train] = 1.0 / (1.0 + np.exp(-(x[~train] @ w + b)))
    table = {}
    for threshold in THRESHOLDS:
        predicted = ((chance >= threshold) & asked) | lexicon_urgent
        hits = float((predicted & (y == 1)).sum())
        table[threshold] = (hits / max(predicted.sum(), 1), hits / y.sum())
    return table, chance


def choose(table: dict[float, tuple[float, float]]) -> float:
    reaching = [t for t, (_, recall) in table.items() if recall >= TARGET_RECALL]
    return max(reaching) if reaching else min(table)


def main(argv: list[str]) -> None:
    started = time.time()
    development = [r for r in rows() if not r.held_out]
    texts = [r.text for r in development]
    readings = [risk.assess(text, second_opinion=False) for text in texts]
    codes = second_opinion.lexicon_codes()
    x = second_opinion.features(texts, readings, codes).astype(np.float64)
    y = np.array([r.level in URGENT for r in development], float)
    lexicon_urgent = np.array([a.level in URGENT for a in readings])
    asked = np.array([second_opinion.consulted(t, a) for t, a in zip(texts, readings, strict=True)])
    print(f"{len(texts)} development rows read in {time.time() - started:.0f} s", flush=True)
    best = None
    for regularisation in REGULARISATION:
        table, chance = cross_validate(x, y, lexicon_urgent, asked, regularisation)
        threshold = choose(table)
        precision, recall = table[threshold]
        for shown in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            print(
                f"  threshold {shown}: precision {table[shown][0]:.3f} recall {table[shown][1]:.3f}"
            )
        print(
            f"regularisation {regularisation}: threshold {threshold},"
            f" cross-validated precision {precision:.3f} recall {recall:.3f}",
            flush=True,
        )
        if best is None or (recall >= TARGET_RECALL, precision) > (
            best[3] >= TARGET_RECALL,
            best[2],
        ):
            best = (regularisation, threshold, precision, recall, table, chance)
    regularisation, threshold, precision, recall, table, chance = best
    precise = [t for t, (p, _) in table.items() if p >= HIGH_PRECISION and t >= threshold]
    high_threshold = min(precise) if precise else max(THRESHOLDS)
    high_precision, high_recall = table[high_threshold]
    ordinary = np.array([r.level == "none" for r in development])
    for t in (threshold, high_threshold):
        flagged = ((chance >= t) & asked & ordinary).sum() / ordinary.sum()
        print(f"at {t}: none-labelled rows the second opinion flags {flagged:.3f}")
    print(
        f"chosen: regularisation {regularisation}, threshold {threshold}"
        f" (precision {precision:.3f} recall {recall:.3f});"
        f" for comparison, precision {HIGH_PRECISION} from {high_threshold}"
        f" (recall {high_recall:.3f})"
    )
    if "--check" in argv:
        return
    w, b = fit(x, y, regularisation)
    weights = w.astype(np.float32)
    reference_readings = [risk.assess(t, second_opinion=False) for t in REFERENCE_TEXTS]
    reference = second_opinion.features(list(REFERENCE_TEXTS), reference_readings, codes)
    about = {
        "about": "Risk second opinion: see kindred/safety/second_opinion.py",
        "embedding": f"all-MiniLM-L6-v2 from the {embedding.PACKAGE} package",
        "trained_on": {
            "rows": len(development),
            "sha256": second_opinion.fingerprint(
                [(r.level, r.text) for r in development], readings
            ),
        },
        "regularisation": regularisation,
        "threshold": threshold,
        "cross_validated": {"precision": round(precision, 3), "recall": round(recall, 3)},
        # Not used: the threshold at which precision would reach HIGH_PRECISION, for comparison.
        "at_precision_0.9": {
            "threshold": high_threshold,
            "precision": round(high_precision, 3),
            "recall": round(high_recall, 3),
        },
        "codes": codes,
        "reference": {
            "texts": list(REFERENCE_TEXTS),
            "probabilities": [
                float(1.0 / (1.0 + np.exp(-(row @ weights + np.float32(b))))) for row in reference
            ],
        },
    }
    with second_opinion.MODEL_PATH.open("wb") as handle:
        np.savez_compressed(
            handle,
            weights=weights,
            bias=np.array([b], np.float32),
            about=np.frombuffer(json.dumps(about).encode(), dtype=np.uint8),
        )
    print(f"wrote {second_opinion.MODEL_PATH} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
