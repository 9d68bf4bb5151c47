"""The statutory screening rules as an OpenFisca model, for cross-checking (issue 4 part 6).

Not product code: it exists to check ``tyollisyystalo.rules`` against the field's reference
engine. It reads the same parameter files (so a difference shows a logic error, not a data
error) and computes whole columns at once with NumPy, as OpenFisca does.

Three-valued logic is encoded as int8 with F=0 < U=1 < T=2, so Kleene AND is ``min``, OR is
``max`` and NOT is ``2 - x``. Unknown inputs are -1.
"""
