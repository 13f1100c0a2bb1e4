"""Writes this directory's SYNTHETIC national set (run: python3 make.py). Deterministic.

The councils, codes, regions and types are real; every value is invented (a fixed-seed random
walk around a plausible level), so positions shown in the demo are illustrations only.
"""
import csv, random

COUNCILS = [
    ("E06000006", "Halton", "North West", "unitary"),
    ("E06000007", "Warrington", "North West", "unitary"),
    ("E06000008", "Blackburn with Darwen", "North West", "unitary"),
    ("E06000009", "Blackpool", "North West", "unitary"),
    ("E06000049", "Cheshire East", "North West", "unitary"),
    ("E06000050", "Cheshire West and Chester", "North West", "unitary"),
    ("E08000011", "Knowsley", "North West", "metropolitan"),
    ("E08000012", "Liverpool", "North West", "metropolitan"),
    ("E08000013", "St. Helens", "North West", "metropolitan"),
    ("E08000014", "Sefton", "North West", "metropolitan"),
    ("E08000015", "Wirral", "North West", "metropolitan"),
    ("E08000003", "Manchester", "North West", "metropolitan"),
    ("E08000010", "Wigan", "North West", "metropolitan"),
    ("E10000017", "Lancashire", "North West", "county"),
    ("E06000001", "Hartlepool", "North East", "unitary"),
    ("E06000002", "Middlesbrough", "North East", "unitary"),
    ("E06000003", "Redcar and Cleveland", "North East", "unitary"),
    ("E06000004", "Stockton-on-Tees", "North East", "unitary"),
    ("E06000005", "Darlington", "North East", "unitary"),
    ("E08000023", "South Tyneside", "North East", "metropolitan"),
    ("E08000024", "Sunderland", "North East", "metropolitan"),
    ("E06000010", "Kingston upon Hull", "Yorkshire and The Humber", "unitary"),
    ("E06000012", "North East Lincolnshire", "Yorkshire and The Humber", "unitary"),
    ("E08000016", "Barnsley", "Yorkshire and The Humber", "metropolitan"),
    ("E08000017", "Doncaster", "Yorkshire and The Humber", "metropolitan"),
    ("E06000018", "Nottingham", "East Midlands", "unitary"),
    ("E06000016", "Leicester", "East Midlands", "unitary"),
    ("E08000025", "Birmingham", "West Midlands", "metropolitan"),
    ("E06000021", "Stoke-on-Trent", "West Midlands", "unitary"),
    ("E10000030", "Surrey", "South East", "county"),
    ("E06000045", "Southampton", "South East", "unitary"),
    ("E09000002", "Barking and Dagenham", "London", "London borough"),
    ("E09000028", "Southwark", "London", "London borough"),
    ("E10000006", "Cumbria", "North West", "county"),
    ("E07000117", "Burnley", "North West", "district"),
]
# code, name, better, level, spread
INDICATORS = [
    ("NI075", "Achieving 5+ GCSE A*-C including English and maths (%)", "higher", 52, 8),
    ("NI087", "Secondary school persistent absence rate (%)", "lower", 5.5, 1.5),
    ("NI117", "16-18 year olds not in education, employment or training (%)", "lower", 7.5, 2),
    ("NI147", "Care leavers in suitable accommodation (%)", "higher", 88, 6),
    ("NI148", "Care leavers in education, employment or training (%)", "higher", 62, 9),
    ("NI062", "Stability of placements of children in care: 3+ moves (%)", "lower", 11, 2.5),
    ("NI064", "Child protection plans lasting 2 years or more (%)", "lower", 6, 2),
]
PERIODS = ["2008-09", "2009-10", "2010-11", "2011-12", "2012-13"]
# Illustrative statistical neighbours for Halton (not CIPFA's published list).
NEIGHBOURS = ["E06000009", "E06000008", "E08000011", "E08000013", "E06000001",
              "E06000002", "E06000003", "E08000023", "E06000012", "E06000021"]

rng = random.Random(19)
with open("register.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "name", "region", "type"])
    w.writerows(COUNCILS)
with open("indicators.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["indicator", "name", "polarity"])
    w.writerows((c, n, b) for c, n, b, _, _ in INDICATORS)
with open("groups.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["council", "kind", "member"])
    w.writerows(("E06000006", "statistical neighbours", m) for m in NEIGHBOURS)
with open("values.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["council", "indicator", "period", "value"])
    for code, *_ in COUNCILS:
        for ind, _, better, level, spread in INDICATORS:
            v = level + rng.gauss(0, spread)
            step = 1 if better == "higher" else -1
            for p in PERIODS:
                v += step * spread * 0.08 + rng.gauss(0, spread * 0.15)
                # Now and then a value is suppressed, as published tables do.
                w.writerow([code, ind, p, "x" if rng.random() < 0.03 else f"{max(v, 0):.1f}"])
