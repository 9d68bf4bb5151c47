"""The analysis data set kept with an analysis: small whole numbers, packed and compressed.

Every feature is a whole number (answers 0/1, scores 0–10, months, category codes) or
missing, so a row fits in 16-bit integers with -1 for missing; the segment labels of the
analysis ride along as the last column. Columns are named by feature code, so a data set
outlives a change in the feature list.
"""

from __future__ import annotations

import base64
import io
import json
import zlib
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

MISSING = -1


def dataset_pack(
    codes: Sequence[str], values: NDArray[np.float64], labels: NDArray[np.int64]
) -> str:
    matrix = np.where(np.isnan(values), MISSING, values).astype(np.int16)
    matrix = np.hstack([matrix, labels.astype(np.int16)[:, None]])
    buffer = io.BytesIO()
    np.save(buffer, matrix, allow_pickle=False)
    header = json.dumps({"codes": list(codes)}).encode()
    body = zlib.compress(buffer.getvalue(), 6)
    return base64.b64encode(len(header).to_bytes(4, "big") + header + body).decode("ascii")


def dataset_unpack(text: str) -> tuple[list[str], NDArray[np.float64], NDArray[np.int64]]:
    raw = base64.b64decode(text)
    size = int.from_bytes(raw[:4], "big")
    codes = list(json.loads(raw[4 : 4 + size])["codes"])
    matrix = np.load(io.BytesIO(zlib.decompress(raw[4 + size :])), allow_pickle=False)
    values = matrix[:, :-1].astype(np.float64)
    values[values == MISSING] = np.nan
    return codes, values, matrix[:, -1].astype(np.int64)
