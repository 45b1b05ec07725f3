"""Runners: where the NLP pipeline runs (this process, worker processes)."""

from newsledger.runner.local import run_pipeline

__all__ = ["run_pipeline"]
