"""Measuring gapcheck against labelled data: datasets, baselines, metrics, calibration.

Used by ``benchmarks/evaluate.py`` and ``benchmarks/calibrate.py``; nothing here runs
during an ordinary analysis.
"""
