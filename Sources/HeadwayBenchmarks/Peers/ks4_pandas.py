"""The pandas peer of `headway ks4` in the benchmark (issue 13): the same measures as
ks4_duckdb.py, written as an analyst would in pandas (read_csv, groupby, rank, merge_asof).

usage: python3 ks4_pandas.py RESULTS.csv ESTIMATES.csv OUT.csv
Prints `pupils N, a8 sum H` (hundredths) to standard error.
"""
import sys

import numpy as np
import pandas as pd

results, estimates, out = sys.argv[1:4]
SCIENCE = {"combined_science", "biology", "chemistry", "physics", "computer_science"}
HUMANITIES = {"history", "geography"}
LANGUAGES = {"french", "spanish", "german", "latin", "italian", "mandarin", "arabic", "urdu", "russian", "polish"}
EBACC = SCIENCE | HUMANITIES | LANGUAGES

r = pd.read_csv(results, dtype={"pupil": str, "subject": str, "grade": str, "ks2_reading": "Int64", "ks2_maths": "Int64"})
est = pd.read_csv(estimates)

grade = r["grade"]
combined = r["subject"] == "combined_science"
pairs = grade.where(combined & ~grade.isin(["X", "U"]), "0-0").str.split("-", expand=True).astype(int)
single = pd.to_numeric(grade.where(~combined & ~grade.isin(["X", "U"]), "0"))
r["pts"] = np.where(combined, (pairs[0] + pairs[1]) * 50, single * 100)
r["taken"] = grade != "X"
r["cat"] = np.select([r["subject"].isin(["english_language", "english_literature"]), r["subject"] == "maths", r["subject"].isin(EBACC)],
                     ["E", "M", "B"], "O")
slots = pd.concat([r, r[combined]], ignore_index=True)  # combined science fills two slots
slots["rk"] = slots.groupby(["pupil", "cat"])["pts"].rank(method="first", ascending=False)

g = slots.groupby("pupil", sort=False)
pupils = g.agg(ks2_reading=("ks2_reading", "first"), ks2_maths=("ks2_maths", "first"))
e = slots[slots["cat"] == "E"].groupby("pupil").agg(best=("pts", "max"), taken=("taken", "sum"))
pupils["english_h"] = (e["best"] * np.where(e["taken"] == 2, 2, 1)).reindex(pupils.index).fillna(0)
pupils["maths_h"] = (slots[slots["cat"] == "M"].groupby("pupil")["pts"].max() * 2).reindex(pupils.index).fillna(0)
pupils["ebacc_h"] = slots[(slots["cat"] == "B") & (slots["rk"] <= 3)].groupby("pupil")["pts"].sum().reindex(pupils.index).fillna(0)
pool = slots[(slots["cat"] == "O") | ((slots["cat"] == "B") & (slots["rk"] > 3)) | ((slots["cat"] == "E") & (slots["rk"] == 2))].copy()
pool["ork"] = pool.groupby("pupil")["pts"].rank(method="first", ascending=False)
pupils["open_h"] = pool[pool["ork"] <= 3].groupby("pupil")["pts"].sum().reindex(pupils.index).fillna(0)
pupils["a8_h"] = pupils[["english_h", "maths_h", "ebacc_h", "open_h"]].sum(axis=1)

taken = r[r["taken"]].groupby("pupil")["subject"].agg(set).reindex(pupils.index)
pupils["ebacc_entered"] = taken.map(lambda s: isinstance(s, set) and {"english_language", "english_literature", "maths"} <= s
                                    and ("combined_science" in s or len(s & {"biology", "chemistry", "physics", "computer_science"}) >= 3)
                                    and bool(s & HUMANITIES) and bool(s & LANGUAGES)).astype(int)
eng_best = r[r["cat"] == "E"].groupby("pupil")["pts"].max().reindex(pupils.index).fillna(0)
maths = r[r["cat"] == "M"].groupby("pupil")["pts"].max().reindex(pupils.index).fillna(0)
pupils["basics_4"] = ((eng_best >= 400) & (maths >= 400)).astype(int)
pupils["basics_5"] = ((eng_best >= 500) & (maths >= 500)).astype(int)

pupils["ks2_avg"] = pupils[["ks2_reading", "ks2_maths"]].astype(float).mean(axis=1)
pupils = pupils.reset_index()
with_ks2 = pupils.dropna(subset=["ks2_avg"]).sort_values("ks2_avg")
with_ks2 = pd.merge_asof(with_ks2, est, left_on="ks2_avg", right_on="ks2_avg_min")
pupils = pupils.merge(with_ks2[["pupil", "a8_total_est", "english_est", "maths_est", "ebacc_est", "open_est"]], on="pupil", how="left")
for h in ["english_h", "maths_h", "ebacc_h", "open_h", "a8_h"]:
    pupils[h.replace("_h", "_elem" if h != "a8_h" else "")] = pupils[h] / 100
def score(points_h, estimate, divisor):
    """(points − estimate) ÷ divisor in hundredths, rounded half away from zero (DfE)."""
    x = (points_h - (estimate * 100).round()) / divisor
    return np.sign(x) * np.floor(np.abs(x) + 0.5) / 100


pupils["p8"] = score(pupils["a8_h"], pupils["a8_total_est"], 10)
for name, div in [("english", 2), ("maths", 2), ("ebacc", 3), ("open", 3)]:
    pupils[f"p8_{name}"] = score(pupils[f"{name}_h"], pupils[f"{name}_est"], div)
columns = ["pupil", "ks2_reading", "ks2_maths", "a8", "english_elem", "maths_elem", "ebacc_elem", "open_elem", "p8",
           "p8_english", "p8_maths", "p8_ebacc", "p8_open", "ebacc_entered", "basics_4", "basics_5"]
pupils[columns].to_csv(out, index=False)
print(f"pupils {len(pupils)}, a8 sum {int(pupils['a8_h'].sum())}", file=sys.stderr)
