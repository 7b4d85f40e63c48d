"""Symbolic side of the lab: certified constants, theorem objects and derivations.

Cites Zhang, He, Sra, Jadbabaie, arXiv 1905.11881 (v2 = ICLR 2020 numbering).
"""
