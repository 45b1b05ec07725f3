"""Read articles from files, folders, JSONL, CSV, HTML and feeds."""
