"""newsledger's NLP: spaCy components and the pipeline that runs them."""

from newsledger.nlp import factories  # noqa: F401  (registers the components)
from newsledger.nlp.pipeline import extract, extract_many, load_pipeline

__all__ = ["extract", "extract_many", "load_pipeline"]
