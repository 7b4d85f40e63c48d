"""Experiments: one module per claim of arXiv 1905.11881 (v2 numbering), run by ``run_all.py``.

Adding a claim means adding **one module** ``figures/<name>.py``; it is discovered
automatically (every module of this package that defines ``NAME`` and is not one of
the shared modules ``framework``, ``style``, ``report`` or private ``_*``). The module
defines:

``NAME: str``
    The claim's key (``--only NAME``, the key of ``verdicts.json``, the output folder).
``TITLE: str``
    One line for the report.
``THEOREMS: tuple``
    The :mod:`theory.theorems` objects the claim checks, by reference, e.g.
    ``(THEOREM_3, THEOREM_6)``; declaring registers the experiment with each of them
    (``THEOREM_3.experiments``). ``()`` for a claim about the paper's figures.
``CLAIM: str`` (optional; required when ``THEOREMS`` is empty)
    What else it checks, in words (e.g. ``"Fig 4 (empirical)"``). The text shown as the
    experiment's ``theorem`` is generated from ``THEOREMS`` and ``CLAIM``.
``KIND: str``
    ``"theorem"``: a proven statement; a violation fails ``run_all`` (exit status 1).
    ``"empirical"``: an observation of the paper (verdict ``reproduced`` /
    ``not reproduced``); never fails the run.
``PROVENANCE: str``
    Provenance of the bound compared with (``printed`` / ``recalled`` / ``lab``, docs/paper.md).
``VERSION: str`` (optional)
    Bump it to invalidate cached results after changing ``compute``.
``ORDER: int`` (optional)
    Position in the report (default 100).
``grid(quick: bool) -> list[dict]``
    The parameter grid **declared as data**: a list of JSON-serialisable configurations,
    one unit of work each. Randomness belongs in ``compute`` (through its ``seed``), so the
    grid itself is the same for every seed.
``compute(config: dict, seed: int) -> list[dict]``
    Work for one configuration; returns tidy rows (flat dicts of str / int / float /
    bool / None), one per run. ``seed`` is derived from ``--seed`` and the configuration
    (:func:`figures.framework.config_seed`), so results do not depend on ``--jobs`` or on
    the order of work. No timestamps in rows.
``verdict(rows: list[dict]) -> figures.framework.Verdict``
    Rows are read back from the CSV (numbers parsed), whether fresh or cached.
``plot(rows: list[dict], outdir: pathlib.Path) -> list[pathlib.Path]``
    Figures, saved with :func:`figures.style.save` (PDF and PNG, atomic).
``report_section(rows: list[dict]) -> str`` (optional)
    Extra Markdown for REPORT.md (fitted exponents, tables, analysis).
``PLANT_CONFIG: int`` (optional)
    Index of the quick-grid configuration on which a planted violation (a checked
    result's bound scaled with ``Theorem.planted``) must be flagged (default 0; see
    ``tests/test_trail.py``).

The shared machinery (registry, caching by configuration hash, atomic writes,
provenance, parallel compute) is :mod:`figures.framework`; the plot style is
:mod:`figures.style`; REPORT.md is written by :mod:`figures.report`.
"""
