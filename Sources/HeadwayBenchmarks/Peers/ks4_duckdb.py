"""The peer of `headway ks4` in the benchmark (issue 13): the same measures in DuckDB SQL, as a
data analyst would write them for a long results file (pupil, subject, grade, ks2_reading,
ks2_maths) with GCSE grades and combined science pairs: Attainment 8 with its elements, Progress 8
with its elements against the estimates table, EBacc entry, basics. Writes one row per pupil.

usage: python3 ks4_duckdb.py RESULTS.csv ESTIMATES.csv OUT.csv
Prints `pupils N, a8 sum H` (hundredths) to standard error so the benchmark can check that it
computed the same Attainment 8 as Headway.
"""
import sys

import duckdb

results, estimates, out = sys.argv[1:4]
EBACC = "'combined_science','biology','chemistry','physics','computer_science','history','geography'," \
        "'french','spanish','german','latin','italian','mandarin','arabic','urdu','russian','polish'"
con = duckdb.connect()
con.execute(f"""
CREATE TABLE est AS SELECT * FROM read_csv('{estimates}', header = true);
CREATE TABLE r AS SELECT * FROM read_csv('{results}', header = true,
    columns = {{'pupil': 'VARCHAR', 'subject': 'VARCHAR', 'grade': 'VARCHAR', 'ks2_reading': 'INTEGER', 'ks2_maths': 'INTEGER'}});
CREATE TABLE slots AS
  SELECT pupil, subject, ks2_reading, ks2_maths, grade <> 'X' AS taken,
         CASE WHEN grade IN ('X', 'U') THEN 0
              WHEN subject = 'combined_science' THEN (CAST(split_part(grade, '-', 1) AS INT) + CAST(split_part(grade, '-', 2) AS INT)) * 50
              ELSE CAST(grade AS INT) * 100 END AS pts,
         CASE WHEN subject IN ('english_language', 'english_literature') THEN 'E' WHEN subject = 'maths' THEN 'M'
              WHEN subject IN ({EBACC}) THEN 'B' ELSE 'O' END AS cat,
         UNNEST(CASE WHEN subject = 'combined_science' THEN [1, 2] ELSE [1] END) AS half
  FROM r;
CREATE TABLE ranked AS
  SELECT *, row_number() OVER (PARTITION BY pupil, cat ORDER BY pts DESC) AS rk FROM slots;
CREATE TABLE pupils AS
  WITH eng AS (SELECT pupil, max(pts) AS best, count(*) FILTER (WHERE taken) = 2 AS double FROM ranked WHERE cat = 'E' GROUP BY pupil),
       mat AS (SELECT pupil, max(pts) AS pts FROM ranked WHERE cat = 'M' GROUP BY pupil),
       eb AS (SELECT pupil, sum(pts) AS pts FROM ranked WHERE cat = 'B' AND rk <= 3 GROUP BY pupil),
       opn AS (SELECT pupil, sum(pts) AS pts FROM (
                 SELECT pupil, pts, row_number() OVER (PARTITION BY pupil ORDER BY pts DESC) AS ork FROM ranked
                 WHERE cat = 'O' OR (cat = 'B' AND rk > 3) OR (cat = 'E' AND rk = 2)) WHERE ork <= 3 GROUP BY pupil),
       ks2 AS (SELECT pupil, any_value(ks2_reading) AS rd, any_value(ks2_maths) AS ma,
                      max(CASE WHEN subject = 'english_language' THEN pts END) AS lang, max(CASE WHEN subject = 'english_literature' THEN pts END) AS lit,
                      bool_or(taken AND subject = 'english_language') AND bool_or(taken AND subject = 'english_literature') AS english_pillar,
                      bool_or(taken AND subject = 'maths') AS maths_pillar,
                      bool_or(taken AND subject = 'combined_science')
                        OR count(DISTINCT CASE WHEN taken AND subject IN ('biology','chemistry','physics','computer_science') THEN subject END) >= 3 AS science_pillar,
                      bool_or(taken AND subject IN ('history','geography')) AS humanity_pillar,
                      bool_or(taken AND subject IN ('french','spanish','german','latin','italian','mandarin','arabic','urdu','russian','polish')) AS language_pillar
               FROM ranked GROUP BY pupil)
  SELECT k.pupil, k.rd, k.ma,
         CASE WHEN k.rd IS NOT NULL AND k.ma IS NOT NULL THEN (k.rd + k.ma) / 2.0 ELSE coalesce(k.rd, k.ma) END AS ks2_avg,
         coalesce(e.best, 0) * CASE WHEN e.double THEN 2 ELSE 1 END AS english_h, coalesce(m.pts, 0) * 2 AS maths_h,
         coalesce(b.pts, 0) AS ebacc_h, coalesce(o.pts, 0) AS open_h,
         english_pillar AND maths_pillar AND science_pillar AND humanity_pillar AND language_pillar AS ebacc_entered,
         greatest(coalesce(k.lang, 0), coalesce(k.lit, 0)) >= 400 AND coalesce(m.pts, 0) >= 400 AS basics_4,
         greatest(coalesce(k.lang, 0), coalesce(k.lit, 0)) >= 500 AND coalesce(m.pts, 0) >= 500 AS basics_5
  FROM ks2 k LEFT JOIN eng e USING (pupil) LEFT JOIN mat m USING (pupil) LEFT JOIN eb b USING (pupil) LEFT JOIN opn o USING (pupil);
CREATE TABLE measures AS
  SELECT p.pupil, p.rd AS ks2_reading, p.ma AS ks2_maths, (english_h + maths_h + ebacc_h + open_h) / 100.0 AS a8,
         english_h / 100.0 AS english_elem, maths_h / 100.0 AS maths_elem, ebacc_h / 100.0 AS ebacc_elem, open_h / 100.0 AS open_elem,
         round((english_h + maths_h + ebacc_h + open_h - round(e.a8_total_est * 100)) / 10.0) / 100 AS p8,
         round((english_h - round(e.english_est * 100)) / 2.0) / 100 AS p8_english, round((maths_h - round(e.maths_est * 100)) / 2.0) / 100 AS p8_maths,
         round((ebacc_h - round(e.ebacc_est * 100)) / 3.0) / 100 AS p8_ebacc, round((open_h - round(e.open_est * 100)) / 3.0) / 100 AS p8_open,
         CAST(ebacc_entered AS INT) AS ebacc_entered, CAST(basics_4 AS INT) AS basics_4, CAST(basics_5 AS INT) AS basics_5,
         english_h + maths_h + ebacc_h + open_h AS a8_h
  FROM pupils p ASOF LEFT JOIN est e ON p.ks2_avg >= e.ks2_avg_min;
COPY (SELECT * EXCLUDE (a8_h) FROM measures) TO '{out}' (HEADER, DELIMITER ',');
""")
n, total = con.execute("SELECT count(*), sum(a8_h) FROM measures").fetchone()
print(f"pupils {n}, a8 sum {int(total)}", file=sys.stderr)
