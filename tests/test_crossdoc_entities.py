"""One name per person across articles (the main actors never appear under two spellings)."""

from newsledger.crossdoc.entities import person_merges

MAIN_ACTORS = {
    "Vladimir Putin": ["Putin", "Vladmir Putin"],
    "Volodymyr Zelensky": ["Zelenskyy", "Volodymyr Zelenskyy", "Zelenskiy"],
    "Sergei Lavrov": ["Lavrov", "Sergey Lavrov"],
    "Dmytro Kuleba": ["Kuleba", "Dymtro Kuleba"],
    "Joe Biden": ["Biden", "Joseph R. Biden"],
    "Boris Johnson": ["Johnson"],
    "Olaf Scholz": ["Scholz"],
    "Emmanuel Macron": ["Macron", "Emanuel Macron"],
    "Antonio Guterres": ["Guterres", "António Guterres"],
    "Jens Stoltenberg": ["Stoltenberg"],
    "Dmitry Peskov": ["Peskov", "Dmitri Peskov"],
    "Sergei Shoigu": ["Shoigu", "Sergey Shoigu"],
    "Mykhailo Podolyak": ["Podolyak", "Mikhail Podolyak"],
}


def rows():
    out = []
    for n, (canonical, variants) in enumerate(MAIN_ACTORS.items()):
        out.append((f"c{n}", canonical, "person", 300))
        out += [(f"v{n}_{i}", v, "person", 5) for i, v in enumerate(variants)]
    out += [
        ("hunter", "Hunter Biden", "person", 50),  # family members and namesakes stay apart
        ("ron", "Ron Johnson", "person", 15),
        ("olena", "Olena Zelenska", "person", 24),
        ("xi", "Xi", "person", 20),  # surname-first names
        ("xij", "Xi Jinping", "person", 120),
        ("tw", "Twitter", "person", 40),  # not a person's surname
        ("twm", "McCord’s Twitter", "person", 2),
    ]
    return out


def test_each_main_actor_has_one_name_across_articles():
    merges = person_merges(rows())
    for n, (canonical, variants) in enumerate(MAIN_ACTORS.items()):
        for i, variant in enumerate(variants):
            assert merges.get(f"v{n}_{i}") == f"c{n}", (variant, canonical)


def test_relatives_namesakes_and_non_names_are_not_merged():
    merges = person_merges(rows())
    assert "hunter" not in merges and "ron" not in merges and "olena" not in merges
    assert merges.get("xi") == "xij"
    assert "tw" not in merges
