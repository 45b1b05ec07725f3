"""Score newsledger's extractions against hand-annotated gold (SPEC.md sections 6 and 7).

    report = evaluate("gold/dev.jsonl")          # run the pipeline and score it
    report = score(load_gold(path), predictions) # score predictions you already have
    print(format_table(report))
"""

from newsledger.evaluation.gold import GoldArticle, load_gold, parse_gold_article
from newsledger.evaluation.run import evaluate, gold_to_article
from newsledger.evaluation.scoring import names_match, score, token_f1, values_agree
from newsledger.evaluation.table import format_table

__all__ = [
    "GoldArticle",
    "evaluate",
    "format_table",
    "gold_to_article",
    "load_gold",
    "names_match",
    "parse_gold_article",
    "score",
    "token_f1",
    "values_agree",
]
