"""Danish postcodes as places: town names for display and distances in kilometres.

Positions come from GeoNames (CC BY 4.0), one point per postcode. Central Copenhagen has
street-level codes that are not all listed; a missing code in 1000–1999 falls back to the
nearest listed code below it in the same hundred, as the data's README advises.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    """A postcode with its town and position."""

    postcode: str
    town: str
    municipality: str
    lat: float
    lon: float

    @property
    def display(self) -> str:
        """'2900 Hellerup'."""
        return f"{self.postcode} {self.town}"


class Postcodes:
    """Lookup of Danish postcodes."""

    def __init__(self, places: dict[str, Place]) -> None:
        self._places = places

    def __len__(self) -> int:
        return len(self._places)

    def get(self, postcode: str | None) -> Place | None:
        """The place of ``postcode`` (four digits), or None when it is not a Danish postcode."""
        code = (postcode or "").strip()
        if len(code) != 4 or not code.isdigit():
            return None
        place = self._places.get(code)
        if place is None and code.startswith("1"):
            hundred = code[:2]
            for lower in range(int(code) - 1, int(hundred + "00") - 1, -1):
                near = self._places.get(f"{lower:04d}")
                if near is not None:
                    return Place(code, near.town, near.municipality, near.lat, near.lon)
        return place

    def display(self, postcode: str | None) -> str:
        """'2900 Hellerup' for a known postcode, the code itself otherwise, '' for none."""
        place = self.get(postcode)
        return place.display if place is not None else (postcode or "")

    def position(self, postcode: str | None) -> tuple[float, float]:
        """(latitude, longitude) in degrees, NaN for an unknown postcode."""
        place = self.get(postcode)
        return (place.lat, place.lon) if place is not None else (float("nan"), float("nan"))

    def distance_km(self, a: str | None, b: str | None) -> float | None:
        """Great-circle distance between two postcodes, None when either is unknown."""
        pa, pb = self.get(a), self.get(b)
        if pa is None or pb is None:
            return None
        return float(haversine_km(pa.lat, pa.lon, pb.lat, pb.lon))


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on floats and numpy arrays (NaN stays NaN)."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2)
    )
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@lru_cache(maxsize=1)
def postcodes() -> Postcodes:
    """The shipped table of Danish postcodes, loaded once per process."""
    text = resources.files("taskboerse.matching").joinpath("data/postcodes_dk.tsv")
    lines = [line for line in text.read_text("utf-8").splitlines() if not line.startswith("#")]
    places = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        places[row["postcode"]] = Place(
            row["postcode"],
            row["town"],
            row["municipality"],
            float(row["latitude"]),
            float(row["longitude"]),
        )
    return Postcodes(places)


def unit_xyz(lat: float, lon: float) -> tuple[float, float, float]:
    """A position as a point on the unit sphere (NaN for NaN), for exact distance tests with
    three subtractions instead of trigonometry per row."""
    la, lo = np.radians(lat), np.radians(lon)
    return (
        float(np.cos(la) * np.cos(lo)),
        float(np.cos(la) * np.sin(lo)),
        float(np.sin(la)),
    )


def chord_for_km(km):
    """The straight-line (chord) length on the unit sphere of a great-circle distance in km."""
    return 2.0 * np.sin(
        np.minimum(np.asarray(km, dtype=np.float64), np.pi * EARTH_RADIUS_KM)
        / (2.0 * EARTH_RADIUS_KM)
    )


def km_for_chord(chord):
    """The great-circle distance in km of a chord on the unit sphere (inverse of the above)."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))
