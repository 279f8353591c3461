#!/usr/bin/env python3
"""Writes a site register of N rows (default 50,000) for the import and search benchmarks
(docs/BENCHMARKS.md, "Server core (issue 4)"). Deterministic: the same N gives the same file.

Half the rows carry WGS84 lat/lon, half RD New x/y (as Dutch register exports do); all lie in the
demo region's municipalities, so `schouw serve --demo` data and this file belong to one agency.

    python3 tests/bench/gen_sites_csv.py 50000 > /tmp/sites-50k.csv
"""
import random
import sys

MUNICIPALITIES = [
    ("GM0197", "Aalten", 51.925, 6.581, 7121),
    ("GM1859", "Berkelland", 52.113, 6.520, 7271),
    ("GM1876", "Bronckhorst", 52.053, 6.310, 7221),
    ("GM0222", "Doetinchem", 51.965, 6.289, 7004),
    ("GM1955", "Montferland", 51.890, 6.140, 7041),
    ("GM1586", "Oost Gelre", 52.000, 6.560, 7131),
    ("GM1509", "Oude IJsselstreek", 51.900, 6.380, 7081),
    ("GM0294", "Winterswijk", 51.972, 6.719, 7101),
]
SECTORS = {
    "garage": ["vehicle_repair", "fuel_storage"],
    "hospitality": ["kitchen"],
    "metal_industry": ["metal_working", "surface_treatment"],
    "retail": ["retail"],
    "construction": ["construction_yard"],
    "livestock": ["livestock_housing", "manure_storage"],
    "agriculture": ["crop_protection_storage"],
    "office": [],
}
WORDS = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
         "Peters", "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Lammers", "Wolters"]
KINDS = ["Garage", "Autobedrijf", "Café", "Metaalbewerking", "Bouwbedrijf", "Veehouderij",
         "Loonbedrijf", "Bakkerij", "Kantoor", "Restaurant", "Installatiebedrijf"]
STREETS = ["Markt", "Dorpsstraat", "Kerkstraat", "Industrieweg", "Stationsstraat", "Hogestraat",
           "Molenweg", "Nijverheidsweg", "Schoolstraat", "Broekweg"]
LETTERS = "ABCDEGHJKLMNPRTVWXZ"

# WGS84 -> RD New (same polynomials as shared::coords), so the x/y rows are realistic.
R = [(0, 1, 190094.945), (1, 1, -11832.228), (2, 1, -114.221), (0, 3, -32.391), (1, 0, -0.705),
     (3, 1, -2.340), (1, 3, -0.608), (0, 2, -0.008), (2, 3, 0.148)]
S = [(1, 0, 309056.544), (0, 2, 3638.893), (2, 0, 73.077), (1, 2, -157.984), (3, 0, 59.788),
     (0, 1, 0.433), (2, 2, -6.439), (1, 1, -0.032), (0, 4, 0.092), (1, 4, -0.054)]


def to_rd(lat, lon):
    dphi = 0.36 * (lat - 52.15517440)
    dlam = 0.36 * (lon - 5.38720621)
    x = 155000 + sum(c * dphi ** p * dlam ** q for p, q, c in R)
    y = 463000 + sum(c * dphi ** p * dlam ** q for p, q, c in S)
    return x, y


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rng = random.Random(4)
    out = sys.stdout
    out.write("key;name;street;house_number;postcode;city;municipality_code;sector;activities;lat;lon;x;y\n")
    for i in range(1, n + 1):
        code, city, lat0, lon0, pc = rng.choice(MUNICIPALITIES)
        sector = rng.choice(list(SECTORS))
        activities = "|".join(a for a in SECTORS[sector] if rng.random() < 0.8)
        name = f"{rng.choice(KINDS)} {rng.choice(WORDS)} {i}"
        lat = lat0 + rng.uniform(-0.06, 0.06)
        lon = lon0 + rng.uniform(-0.09, 0.09)
        postcode = f"{pc + rng.randrange(0, 9)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        if i % 2:
            coords = f"{lat:.6f};{lon:.6f};;"
        else:
            x, y = to_rd(lat, lon)
            coords = f";;{x:.0f};{y:.0f}"
        out.write(f"BENCH-{i:06d};{name};{rng.choice(STREETS)};{rng.randrange(1, 200)};{postcode};"
                  f"{city};{code};{sector};{activities};{coords}\n")


if __name__ == "__main__":
    main()
