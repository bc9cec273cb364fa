#!/usr/bin/env bash
# compare-importers.sh — wall time of every `headway` importer, an older binary against this
# checkout's, on the demo school's data (issue 13: "no importer slower than today on the demo
# school's files"). Build the older commit in a worktree first, e.g.
#
#   git worktree add --detach ../headway-old 8776998 && (cd ../headway-old && swift build -c release --product headway)
#   swift build -c release
#   OLD_SRC=../headway-old/.build/release/headway bash benchmarks/compare-importers.sh   # RUNS=5 by default
#
# Environment (all optional):
#   NEW_SRC  the new release binary   (default .build/release/headway of this checkout; copied to $BIN_DIR/headway-new)
#   OLD_SRC  the old release binary   (required; copied to $BIN_DIR/headway-old)
#   BENCH    HeadwayBenchmarks, for the ImportSuite results file (default .build/release/HeadwayBenchmarks)
#   RUNS     timed runs per binary per importer (default 5)
#   WORK     scratch folder, emptied first (default /tmp/importer-bench/work)
#   ONLY     run only the importers whose name contains this text
#
# What it does
#  1. Setup (NEW binary only, not timed): `headway demo --database` builds the demo school; the six
#     off-scale values the demo plants are blanked with sqlite3 (they would make every file made
#     from the database fail to import: an error imports nothing); this is BASE.
#  2. Input files, demo-sized, from BASE: the CLI's own exports where it has one (markbook export),
#     else written from BASE with sqlite3 + python3 (staff, pupil and class lists in SIMS preset
#     layout, the long results CSV and its mapping, targets, exam results, the KS4 file, the
#     intervention log, the calendar TOML, a CTF XML); the DfE 2019 performance table shipped in
#     data/; and the ImportSuite's file (HeadwayBenchmarks --suite import --entries 31600).
#  3. Start databases: each importer starts from a database that lacks what its file brings, so
#     every record is new (the save path is measured, not only the "unchanged" path).
#  4. Per importer: RUNS rounds, each round both binaries (old,new in odd rounds, new,old in even
#     ones), each run on a fresh cp of the same start database, same arguments. A run counts only
#     if its exit status is 0; after each run the row count of every table is taken, and the
#     output's lines with numbers (paths and timings removed) are kept: both must be the same for
#     every run of a binary, and are compared old vs new (a difference is printed, not hidden).
#  5. Table: importer, input size, old median s, new median s, ratio new/old; load average before
#     and after.
set -u -o pipefail

REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
NEW_SRC=${NEW_SRC:-$REPO/.build/release/headway}
OLD_SRC=${OLD_SRC:?give OLD_SRC, the older release headway to compare with (see the top of this file)}
BENCH=${BENCH:-$REPO/.build/release/HeadwayBenchmarks}
RUNS=${RUNS:-5}
BIN_DIR=${BIN_DIR:-/tmp/importer-bench}
WORK=${WORK:-/tmp/importer-bench/work}
ONLY=${ONLY:-}

die() { echo "importer-bench: $*" >&2; exit 2; }
for tool in sqlite3 python3; do command -v $tool >/dev/null || die "$tool is needed"; done
[ -x "$NEW_SRC" ] || die "no new binary at $NEW_SRC"
[ -x "$OLD_SRC" ] || die "no old binary at $OLD_SRC (is the build finished? tail -1 /tmp/old-build.log)"
mkdir -p "$BIN_DIR"
# Copies, so a rebuild in the work trees during the run changes nothing.
cp "$NEW_SRC" "$BIN_DIR/headway-new" && cp "$OLD_SRC" "$BIN_DIR/headway-old" || die "cannot copy the binaries"
NEW="$BIN_DIR/headway-new"; OLD="$BIN_DIR/headway-old"
rm -rf "$WORK"; mkdir -p "$WORK"/{db,in,log} || die "cannot make $WORK"
cd "$WORK" || die "cannot cd $WORK"

echo "importer-bench: $(date -Is) on $(hostname), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  new: $NEW_SRC ($(stat -c %y "$NEW_SRC" | cut -d. -f1), sha256 $(sha256sum "$NEW" | cut -c1-12))"
echo "  old: $OLD_SRC ($(stat -c %y "$OLD_SRC" | cut -d. -f1), sha256 $(sha256sum "$OLD" | cut -c1-12))"
echo "  runs per binary per importer: $RUNS; work folder: $WORK"

# ---------------------------------------------------------------------------------------------
# 1. The demo school (NEW binary), cleaned of its planted off-scale values.
echo "== setup (new binary, not timed)"
"$NEW" demo --database "$WORK/db/demo.sqlite" --out "$WORK/demo-out" >"$WORK/log/demo.log" 2>&1 \
  || die "headway demo failed: see $WORK/log/demo.log"
"$NEW" check --database "$WORK/db/demo.sqlite" --format csv --out "$WORK/log/check.csv" >/dev/null 2>&1
cp "$WORK/db/demo.sqlite" "$WORK/db/base.sqlite"
python3 - "$WORK/log/check.csv" "$WORK/db/base.sqlite" <<'PY' || die "cleaning the off-scale values failed"
import csv, sqlite3, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["check"] == "off-scale"]
db = sqlite3.connect(sys.argv[2])
column = {"working-at": "working_at", "predicted": "predicted", "ATL": "atl"}
done = set()
for r in rows:
    field = column[r["finding"].split(" value ")[0]]
    key = (field, r["collection"], r["pupil"], r["subject"])
    if key in done: continue
    done.add(key)
    n = db.execute(f"update assessments set {field} = null where collection_id=? and pupil_id=? and subject_id=?", key[1:]).rowcount
    assert n == 1, key
db.commit()
print(f"  blanked {len(done)} off-scale value(s) planted by the demo: {sorted(done)}")
PY
# Make sure the start databases are single files (no -wal/-shm beside them).
sqlite3 "$WORK/db/base.sqlite" "pragma wal_checkpoint(truncate); pragma journal_mode=delete; vacuum;" >/dev/null

# An empty database with the schema only.
"$NEW" migrate --database "$WORK/db/empty.sqlite" >"$WORK/log/migrate.log" 2>&1 || die "headway migrate failed"
sqlite3 "$WORK/db/empty.sqlite" "pragma wal_checkpoint(truncate); pragma journal_mode=delete;" >/dev/null

# ---------------------------------------------------------------------------------------------
# 2. Input files.
"$NEW" markbook export --database "$WORK/db/base.sqlite" --collection DC3 --out "$WORK/in/markbooks" \
  >"$WORK/log/markbook-export.log" 2>&1 || die "markbook export failed: see $WORK/log/markbook-export.log"
cp "$REPO/data/dfe-ks4-performance-tables-2019/england_ks4provisional_2019.csv" "$WORK/in/" \
  || die "no DfE performance table in $REPO/data"

python3 - "$WORK/db/base.sqlite" "$WORK/in" <<'PY' || die "writing the input files failed"
import csv, sqlite3, sys, io, os
from xml.sax.saxutils import escape
db = sqlite3.connect(sys.argv[1]); out = sys.argv[2]
q = lambda sql, *a: db.execute(sql, a).fetchall()
school, school_name = q("select id, name from schools")[0]
year = q("select start_year from academic_years")[0][0]
ay = f"{year}/{(year + 1) % 100:02d}"

def write(name, header, rows):
    with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n"); w.writerow(header); w.writerows(rows)

def dmy(iso): return "" if not iso else f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
chars = {}
for p, n, v in q("select pupil_id, name, value from pupil_characteristics where academic_year=?", year):
    chars.setdefault(p, {})[n] = v
yn = lambda v: {"true": "Y", "false": "N"}.get(v, "")
pupils = q("""select p.id, p.upn, p.surname, p.forename, p.date_of_birth, y.year_group, y.tutor_group,
                     a.ks2_reading, a.ks2_maths
              from pupils p join pupil_years y on y.pupil_id = p.id and y.academic_year = ?
              left join prior_attainment a on a.pupil_id = p.id order by y.year_group, p.surname, p.forename, p.id""", year)
info = {p[0]: p for p in pupils}

# Mapping for the school (school, year, subjects, collections), used with the presets and the results file.
subjects = q("select id, name, scale_id, atl_scale_id, qualification, ks4_category from subjects order by rowid")
collections = q("select id, name, sequence from data_collections where academic_year=? order by sequence", year)
def qt(s): return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
school_toml = f'version = 1\nacademic_year = "{ay}"\n\n[school]\nid = {qt(school)}\nname = {qt(school_name)}\n'
for s in subjects:
    school_toml += f"\n[[subject]]\ncode = {qt(s[0])}\nname = {qt(s[1])}\nscale = {qt(s[2])}\natl_scale = {qt(s[3])}\n"
    if s[4]: school_toml += f"qualification = {qt(s[4])}\n"
    if s[5]: school_toml += f"ks4_category = {qt(s[5])}\n"
for c in collections:
    school_toml += f"\n[[collection]]\ncode = {qt(c[0])}\nname = {qt(c[1])}\nsequence = {c[2]}\n"
open(os.path.join(out, "school.toml"), "w").write(school_toml + '\n[columns]\npupil_id = "Adno"\n')

# SIMS preset layouts (data/presets/sims-*.toml). The demo has no FSM: FSM Eligible is left out
# (an optional column of the preset).
write("staff.csv", ["Staff Code", "Title", "Legal Forename", "Legal Surname", "Work Email"],
      q("select id, coalesce(title,''), forename, surname, coalesce(email,'') from staff order by id"))
sen = {"N": "No Special Educational Need", "K": "SEN Support", "E": "Education, Health and Care Plan"}
write("pupils.csv", ["Adno", "UPN", "Legal Surname", "Legal Forename", "DOB", "Gender", "Year", "Reg",
                     "Pupil Premium Indicator", "SEN Status", "EAL", "KS2 Reading Scaled Score", "KS2 Maths Scaled Score"],
      [[p[0], p[1] or "", p[2], p[3], dmy(p[4]), chars.get(p[0], {}).get("gender", ""), p[5], p[6] or "",
        yn(chars.get(p[0], {}).get("disadvantaged")), sen.get(chars.get(p[0], {}).get("sen"), ""),
        yn(chars.get(p[0], {}).get("eal")), p[7] if p[7] is not None else "", p[8] if p[8] is not None else ""] for p in pupils])
teachers = {}
for g, s in q("select group_id, staff_id from teaching_group_teachers where academic_year=? order by rowid", year):
    teachers.setdefault(g, []).append(s)
subject_name = {s[0]: s[1] for s in subjects}
write("classes.csv", ["Adno", "Legal Surname", "Legal Forename", "Year", "Reg", "Class", "Subject", "Teacher Code"],
      [[pid, info[pid][2], info[pid][3], info[pid][5], info[pid][6] or "", g, subject_name[sub], ", ".join(teachers.get(g, []))]
       for g, sub, pid in q("""select tp.group_id, g.subject_id, tp.pupil_id from teaching_group_pupils tp
                               join teaching_groups g on g.id = tp.group_id and g.academic_year = tp.academic_year
                               where tp.academic_year=? order by g.year_group, tp.group_id, tp.pupil_id""", year)])

# The long results file of the demo school: the ImportSuite's columns, every stored entry.
header = ["Adno", "UPN", "Forename", "Surname", "DOB", "Year", "Reg", "Gender", "PP", "SEN", "KS2 Reading", "KS2 Maths",
          "Subject", "Collection", "Grade", "Predicted", "ATL"]
rows = []
for c, pid, sub, w, pr, atl in q("""select a.collection_id, a.pupil_id, a.subject_id, a.working_at, a.predicted, a.atl
                                    from assessments a join data_collections d on d.id = a.collection_id and d.academic_year = a.academic_year
                                    where a.academic_year=? order by d.sequence, a.pupil_id, a.subject_id""", year):
    p = info[pid]; ch = chars.get(pid, {})
    rows.append([pid, p[1] or "", p[3], p[2], p[4] or "", p[5], p[6] or "", ch.get("gender", ""),
                 "Y" if ch.get("disadvantaged") == "true" else "N", ch.get("sen", "N"),
                 p[7] if p[7] is not None else "", p[8] if p[8] is not None else "", sub, c, w or "", pr or "", atl or ""])
write("results-long.csv", header, rows)
open(os.path.join(out, "results-long.toml"), "w").write(school_toml.replace('\n[columns]\npupil_id = "Adno"\n', "") + """
[columns]
pupil_id = "Adno"
upn = "UPN"
forename = "Forename"
surname = "Surname"
date_of_birth = "DOB"
year_group = "Year"
tutor_group = "Reg"
subject = "Subject"
collection = "Collection"
working_at = "Grade"
predicted = "Predicted"
atl = "ATL"
ks2_reading = "KS2 Reading"
ks2_maths = "KS2 Maths"

[value_maps]
y_n = { Y = "true", N = "false" }

[[characteristic]]
name = "gender"
column = "Gender"

[[characteristic]]
name = "disadvantaged"
column = "PP"
values = "y_n"

[[characteristic]]
name = "sen"
column = "SEN"
""")

# The same entries as wide grade sheets (layout of Tests/HeadwayImportTests/Fixtures/oakfield-wide.toml):
# one file per subject, one row per pupil, a column per collection and kind.
os.makedirs(os.path.join(out, "wide"), exist_ok=True)
kinds = (("WA", "working_at"), ("Predicted", "predicted"), ("ATL", "atl"))
grid = {}
for c, pid, sub, w, pr, atl in q("select collection_id, pupil_id, subject_id, working_at, predicted, atl from assessments where academic_year=?", year):
    grid.setdefault(sub, {}).setdefault(pid, {})[c] = (w or "", pr or "", atl or "")
wide_toml = school_toml.replace('\n[columns]\npupil_id = "Adno"\n', "") + """
[columns]
pupil_id = "Student ID"
upn = "UPN"
forename = "First name"
surname = "Last name"
year_group = "NC Year"
tutor_group = "Form"
"""
n_wide = 0
for sub in sorted(grid):
    ps = sorted(grid[sub], key=lambda p: (info[p][5], info[p][2], info[p][3], p))
    write(f"wide/{sub}.csv", ["Student ID", "UPN", "First name", "Last name", "NC Year", "Form"] + [f"{c[0]} {k}" for c in collections for k, _ in kinds],
          [[p, info[p][1] or "", info[p][3], info[p][2], info[p][5], info[p][6] or ""] +
           [v for c in collections for v in grid[sub][p].get(c[0], ("", "", ""))] for p in ps])
    wide_toml += f'\n[files."{sub}.csv"]\nsubject = {qt(sub)}\n'
    n_wide += len(ps)
for c in collections:
    for k, kind in kinds:
        wide_toml += f'\n[[grade_column]]\ncolumn = "{c[0]} {k}"\ncollection = {qt(c[0])}\nkind = "{kind}"\n'
open(os.path.join(out, "wide.toml"), "w").write(wide_toml)

# Targets as an external provider would send them: every stored target, set by "FFT".
write("targets.csv", ["pupil", "subject", "target", "set_by", "percentile_band"],
      [[p, s, g, "FFT", "FFT50"] for p, s, g in q("select pupil_id, subject_id, grade from targets where academic_year=? order by pupil_id, subject_id", year)])

# Exam results for Year 11 (summer 2027): each Y11 pupil's DC3 predicted grade (else working-at),
# GCSE subjects only (Science SC has no qualification). Also the ks4 command's long file.
key = {"EN": "english_language", "EL": "english_literature", "MA": "maths", "CS": "combined_science", "HI": "history",
       "GE": "geography", "FR": "french", "SP": "spanish", "AR": "art", "CO": "computer_science", "PE": "physical_education",
       "RE": "religious_studies", "DR": "drama", "BS": "business"}
last = collections[-1][0]
exam, ks4 = [], []
for pid, sub, w, pr in q("""select a.pupil_id, a.subject_id, a.working_at, a.predicted from assessments a
                            join pupil_years y on y.pupil_id = a.pupil_id and y.academic_year = a.academic_year
                            where a.academic_year=? and a.collection_id=? and y.year_group = 11 order by a.pupil_id, a.subject_id""", year, last):
    grade = pr or w
    if sub not in key or not grade or grade in ("X", "Z"): continue
    p = info[pid]
    exam.append([p[1] or pid, key[sub], grade, f"{year + 1}-08-26"])
    ks4.append([pid, key[sub], grade, p[7] if p[7] is not None else "", p[8] if p[8] is not None else ""])
write("exam-results.csv", ["upn", "subject", "grade", "date"], exam)
write("ks4-results.csv", ["pupil", "subject", "grade", "ks2_reading", "ks2_maths"], ks4)

# The intervention log as a school keeps it (one row per intervention, pupils by UPN).
ivs = []
for iid, typ, title, owner, st, en, ses, cost, pp, notes in q("""select id, type, title, owner_id, starts, ends, sessions, cost_pence,
                                                                   pupil_premium, notes from interventions order by id"""):
    ps = " ".join(info[p][1] or p for (p,) in q("select pupil_id from intervention_pupils where intervention_id=? order by position", iid))
    ss = " ".join(s for (s,) in q("select subject_id from intervention_subjects where intervention_id=? order by position", iid))
    ivs.append([iid, typ, title, owner, ps, ss, st, en or "", "" if ses is None else ses,
                "" if cost is None else f"{cost / 100:.2f}", "yes" if pp else "no", notes or ""])
write("interventions.csv", ["id", "type", "title", "owner", "pupils", "subjects", "start", "end", "sessions", "cost",
                            "pupil_premium", "notes"], ivs)

# The calendar as TOML (docs/calendars.md), from the stored windows, collections and events.
yg = lambda s: "[" + ", ".join(s.split(",")) + "]"
cal = f'academic_year = "{ay}"\n'
for i, n, g, s, e in q("select id, name, year_groups, starts, ends from assessment_windows where academic_year=? order by starts", year):
    cal += f"\n[[assessment_window]]\nid = {qt(i)}\nname = {qt(n)}\nyear_groups = {yg(g)}\nstarts = {s}\nends = {e}\n"
for c, n, seq, o, d, l, pb in q("select id, name, sequence, opens, deadline, locks, publishes from data_collections where academic_year=? order by sequence", year):
    cal += f"\n[[collection]]\ncode = {qt(c)}\nname = {qt(n)}\nsequence = {seq}\n"
    for k, v in (("opens", o), ("deadline", d), ("locks", l), ("publishes", pb)):
        if v: cal += f"{k} = {v}\n"
    for g, o2, d2, l2, p2 in q("select year_group, opens, deadline, locks, publishes from collection_windows where academic_year=? and collection_id=? order by year_group", year, c):
        cal += f"\n  [[collection.window]]\n  year_groups = [{g}]\n  opens = {o2}\n  deadline = {d2}\n  locks = {l2}\n  publishes = {p2}\n"
for i, kind, n, g, d, c in q("select id, kind, name, year_groups, date, collection_id from reporting_events where academic_year=? order by date", year):
    cal += f"\n[[{'report' if kind == 'report' else 'parents_meeting'}]]\nid = {qt(i)}\nname = {qt(n)}\nyear_groups = {yg(g)}\ndate = {d}\ncollection = {qt(c)}\n"
open(os.path.join(out, "calendar.toml"), "w").write(cal)

# A CTF 25.0 file (layout of Tests/HeadwayImportTests/Fixtures/ctf/v25-sex.xml) with every pupil of
# the demo school: UPN, names, DOB, sex, SEN history, FSM history from pupil premium, KS2 reading and maths.
x = io.StringIO()
x.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>25.0</CTFversion>
    <DateTime>{year}-07-11T09:30:00</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SupplierID>importer-bench</SupplierID>
    <SourceSchool><LEA>886</LEA><Estab>2011</Estab><URN>118800</URN><SchoolName>Feeder Primary</SchoolName><AcademicYear>{year - 1}/{year % 100:02d}</AcademicYear></SourceSchool>
    <DestSchool><LEA>886</LEA><Estab>4055</Estab><URN>137001</URN><SchoolName>{escape(school_name)}</SchoolName></DestSchool>
  </Header>
  <CTFpupilData>
""")
n_ctf = 0
for p in pupils:
    if not p[1]: continue
    ch = chars.get(p[0], {}); n_ctf += 1
    x.write(f"    <Pupil>\n      <UPN>{p[1]}</UPN>\n      <Surname>{escape(p[2])}</Surname>\n      <Forename>{escape(p[3])}</Forename>\n")
    if p[4]: x.write(f"      <DOB>{p[4]}</DOB>\n")
    if ch.get("gender"): x.write(f"      <Sex>{ch['gender']}</Sex>\n")
    x.write("      <FSMhistory>\n")
    if ch.get("disadvantaged") == "true":
        x.write(f"        <FSMinstance><FSMstartDate>{year - 3}-09-03</FSMstartDate><UKcountry>ENG</UKcountry></FSMinstance>\n")
    x.write("      </FSMhistory>\n")
    x.write(f"      <SENhistory><SEN><StartDate>{year - 4}-09-02</StartDate><SENprovision>{ch.get('sen', 'N')}</SENprovision></SEN></SENhistory>\n")
    ks2 = ""
    if p[7] is not None:
        ks2 += f"          <StageAssessment><Locale>ENG</Locale><Year>{year}</Year><Subject>ENG</Subject><Method>TT</Method><Component>RD</Component><ResultStatus>R</ResultStatus><ResultQualifier>SS</ResultQualifier><Result>{p[7]}</Result></StageAssessment>\n"
    if p[8] is not None:
        ks2 += f"          <StageAssessment><Locale>ENG</Locale><Year>{year}</Year><Subject>MAT</Subject><Method>TT</Method><ResultStatus>R</ResultStatus><ResultQualifier>SS</ResultQualifier><Result>{p[8]}</Result></StageAssessment>\n"
    if ks2: x.write(f"      <StageAssessments>\n        <KeyStage>\n          <Stage>KS2</Stage>\n{ks2}        </KeyStage>\n      </StageAssessments>\n")
    x.write("    </Pupil>\n")
x.write("  </CTFpupilData>\n</CTfile>\n")
open(os.path.join(out, "school.ctf.xml"), "w", encoding="utf-8").write(x.getvalue())
print(f"  wrote {len(pupils)} pupils, {len(rows)} result rows, {len(exam)} exam results, {len(ivs)} interventions, CTF of {n_ctf} pupils")
PY

# The ImportSuite's results file (HeadwayBenchmarks --suite import --entries 31600 --keep), if the
# benchmark binary is there.
HAVE_SUITE=0
if [ -x "$BENCH" ]; then
  "$BENCH" --suite import --entries 31600 --plain-rows 0 --keep >"$WORK/log/import-suite.log" 2>&1
  suite_dir=$(sed -n 's/^ *files kept in //p' "$WORK/log/import-suite.log" | tail -1)
  if [ -n "$suite_dir" ] && [ -f "$suite_dir/results.csv" ]; then
    cp "$suite_dir/results.csv" "$WORK/in/suite-results.csv" && cp "$suite_dir/results.toml" "$WORK/in/suite-results.toml" && HAVE_SUITE=1
    rm -rf "$suite_dir"
  fi
fi
[ $HAVE_SUITE = 1 ] || echo "  (no ImportSuite file: $BENCH missing or failed; see $WORK/log/import-suite.log)"

# ---------------------------------------------------------------------------------------------
# 3. Start databases (each without what its importer brings).
derive() {  # derive NAME FROM SQL: a copy of db/FROM.sqlite with SQL applied, as db/NAME.sqlite
  cp "$WORK/db/$2.sqlite" "$WORK/db/$1.sqlite" && sqlite3 "$WORK/db/$1.sqlite" "$3; vacuum;" || die "cannot make start database $1"
}
derive no-dc3 base "delete from assessments where collection_id = 'DC3'"
derive no-interventions base "delete from intervention_subjects; delete from intervention_pupils; delete from interventions"
derive no-published base "delete from published_ks4_values; delete from published_ks4_rows"
derive no-calendar base "delete from assessment_windows; delete from collection_windows; delete from reporting_events"
# Staff and pupils imported (new binary, setup), for the class lists.
cp "$WORK/db/empty.sqlite" "$WORK/db/staff-pupils.sqlite"
"$NEW" import csv --database "$WORK/db/staff-pupils.sqlite" --mapping "$WORK/in/school.toml" --preset sims-staff "$WORK/in/staff.csv" \
  >"$WORK/log/setup-staff.log" 2>&1 || die "setup: staff import failed ($WORK/log/setup-staff.log)"
"$NEW" import csv --database "$WORK/db/staff-pupils.sqlite" --mapping "$WORK/in/school.toml" --preset sims-pupils "$WORK/in/pupils.csv" \
  >"$WORK/log/setup-pupils.log" 2>&1 || die "setup: pupils import failed ($WORK/log/setup-pupils.log)"
for f in "$WORK"/db/*.sqlite; do sqlite3 "$f" "pragma wal_checkpoint(truncate); pragma journal_mode=delete;" >/dev/null; rm -f "$f-wal" "$f-shm"; done

# ---------------------------------------------------------------------------------------------
# 4. The importers: NAME | START DB | INPUT (for its size) | arguments (@DB@ = the run's database).
I="$WORK/in"
MB=("$I"/markbooks/DC3/*.csv)
CASES=()
add() { CASES+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"); }
add "csv staff list (sims-staff)"      empty       "$I/staff.csv"        "import csv --database @DB@ --mapping $I/school.toml --preset sims-staff $I/staff.csv"
add "csv pupil list (sims-pupils)"     empty       "$I/pupils.csv"       "import csv --database @DB@ --mapping $I/school.toml --preset sims-pupils $I/pupils.csv"
add "csv class list (sims-classes)"    staff-pupils "$I/classes.csv"     "import csv --database @DB@ --mapping $I/school.toml --preset sims-classes $I/classes.csv"
add "csv results long (demo db)"       empty       "$I/results-long.csv" "import csv --database @DB@ --mapping $I/results-long.toml $I/results-long.csv"
[ $HAVE_SUITE = 1 ] && \
add "csv results long (ImportSuite)"   empty       "$I/suite-results.csv" "import csv --database @DB@ --mapping $I/suite-results.toml $I/suite-results.csv"
add "csv results wide (sheet/subject)" empty     "$(echo "$I"/wide/*.csv)" "import csv --database @DB@ --mapping $I/wide.toml $(echo "$I"/wide/*.csv)"
add "markbook import DC3"              no-dc3      "${MB[*]}"            "markbook import --database @DB@ --collection DC3 --today 2027-05-10 --date-set-by SCA ${MB[*]}"
add "targets import"                   base        "$I/targets.csv"      "targets import --database @DB@ $I/targets.csv"
add "import results (exams, Y11)"      base        "$I/exam-results.csv" "import results --database @DB@ $I/exam-results.csv"
add "import ctf"                       empty       "$I/school.ctf.xml"   "import ctf --database @DB@ --school DEMO --year 2026/27 $I/school.ctf.xml"
add "interventions import"             no-interventions "$I/interventions.csv" "interventions import --database @DB@ $I/interventions.csv"
add "import dfe-performance (2019)"    no-published "$I/england_ks4provisional_2019.csv" "import dfe-performance --database @DB@ $I/england_ks4provisional_2019.csv"
add "calendar import"                  no-calendar "$I/calendar.toml"    "calendar import --database @DB@ $I/calendar.toml"
add "ks4 FILE (reads only, no db)"     none        "$I/ks4-results.csv"  "ks4 $I/ks4-results.csv --out $WORK/ks4-out.csv"

# Counts of every table of a database, one line.
table_counts() {
  [ -f "$1" ] || { echo "-"; return; }
  sqlite3 "$1" "select name from sqlite_master where type='table' and name <> 'schema_migrations' order by name" |
    while read -r t; do printf '%s=%s ' "$t" "$(sqlite3 "$1" "select count(*) from \"$t\"")"; done
}
# The ks4 command's CSV reduced to the 17 columns every version writes (the old binary writes all
# 39; the new one 17 unless --detail, an option the old one lacks): rows and an md5 of those cells.
ks4_digest() {
  python3 - "$1" <<'PY' 2>/dev/null || echo "no ks4 output"
import csv, hashlib, sys
cols = "pupil ks2_reading ks2_maths a8 english_elem maths_elem ebacc_elem open_elem p8_2dp p8_english p8_maths p8_ebacc p8_open ebacc_entered ebacc_aps basics_4 basics_5".split()
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(f"ks4 rows={len(rows)} md5(17 columns)=" + hashlib.md5("\n".join(",".join(r[c] for c in cols) for r in rows).encode()).hexdigest()[:12])
PY
}
# The output's lines with numbers, without paths of this run and without timings.
output_digest() {
  sed -e "s#$WORK/run\.sqlite#DB#g" -e 's/[0-9.]\+ *\(s\|ms\|seconds\)\b/T/g' -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z*/TS/g' "$1" |
    grep '[0-9]' | sed 's/ \+/ /g'
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }
size_of() {  # bytes and data rows of the input files
  local bytes=0 rows=0 n=0 f
  for f in $1; do bytes=$((bytes + $(stat -c %s "$f"))); case "$f" in
      *.csv) rows=$((rows + $(wc -l <"$f") - 1));; *.xml) rows=$((rows + $(grep -c '<Pupil>' "$f")));;
      *.toml) rows=$((rows + $(grep -c '^\[\[\|^  \[\[' "$f")));; esac; n=$((n + 1)); done
  local unit="rows"; case "$1" in *.xml) unit="pupils";; *.toml) unit="entries";; esac
  [ $n -gt 1 ] && printf '%d files, %s KB, %d %s' $n $((bytes / 1024)) $rows $unit || printf '%s KB, %d %s' $((bytes / 1024)) $rows $unit
}

# ---------------------------------------------------------------------------------------------
echo "== timing: $RUNS runs per binary, alternating; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS=(); PROBLEMS=()
for c in "${CASES[@]}"; do
  IFS=$'\t' read -r name start input argline <<<"$c"
  [ -n "$ONLY" ] && [[ "$name" != *"$ONLY"* ]] && continue
  read -r -a args <<<"${argline//@DB@/$WORK/run.sqlite}"
  declare -A times=() sig_db=() sig_out=() ok=()
  ok[old]=1; ok[new]=1
  slug=$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-' | tr -s '-')
  for ((r = 1; r <= RUNS; r++)); do
    if ((r % 2)); then order="old new"; else order="new old"; fi
    for which in $order; do
      bin=$OLD; [ $which = new ] && bin=$NEW
      rm -f "$WORK/run.sqlite" "$WORK/run.sqlite-wal" "$WORK/run.sqlite-shm" "$WORK/ks4-out.csv"
      [ "$start" != none ] && cp "$WORK/db/$start.sqlite" "$WORK/run.sqlite"
      log="$WORK/log/$slug-$which-$r.log"
      t0=$EPOCHREALTIME
      "$bin" "${args[@]}" >"$log" 2>&1
      rc=$?
      t1=$EPOCHREALTIME
      times[$which]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}') "
      if [ $rc -ne 0 ]; then ok[$which]=0; PROBLEMS+=("$name: $which run $r exited $rc (log $log)"); fi
      if [ "$start" != none ]; then db_sig=$(table_counts "$WORK/run.sqlite"); else db_sig=$(ks4_digest "$WORK/ks4-out.csv"); fi
      out_sig=$(output_digest "$log")
      if [ $r -eq 1 ]; then sig_db[$which]=$db_sig; sig_out[$which]=$out_sig; output_digest "$log" >"$WORK/log/$slug-$which.digest"
      else
        [ "$db_sig" = "${sig_db[$which]}" ] || PROBLEMS+=("$name: $which run $r left different table counts than run 1")
        [ "$out_sig" = "${sig_out[$which]}" ] || PROBLEMS+=("$name: $which run $r printed different counts than run 1")
      fi
    done
  done
  if [ "${sig_db[old]}" != "${sig_db[new]}" ]; then
    PROBLEMS+=("$name: old and new leave different databases: $(diff <(tr ' ' '\n' <<<"${sig_db[old]}") <(tr ' ' '\n' <<<"${sig_db[new]}") | grep '^[<>]' | tr '\n' ' ')")
  fi
  if [ "${sig_out[old]}" != "${sig_out[new]}" ]; then
    PROBLEMS+=("$name: old and new print different counts (diff $WORK/log/$slug-old.digest $WORK/log/$slug-new.digest): $(diff "$WORK/log/$slug-old.digest" "$WORK/log/$slug-new.digest" | grep '^[<>]' | head -4 | tr '\n' ' ')")
  fi
  mo=$(tr ' ' '\n' <<<"${times[old]}" | grep . | median); mn=$(tr ' ' '\n' <<<"${times[new]}" | grep . | median)
  flag=""; [ "${ok[old]}${ok[new]}" = 11 ] || flag=" FAILED"
  ratio=$(awk -v o="$mo" -v n="$mn" 'BEGIN {printf "%.2f", n / o}')
  RESULTS+=("$(printf '%-34s %-30s %9.3f %9.3f %7s%s' "$name" "$(size_of "$input")" "$mo" "$mn" "$ratio" "$flag")")
  printf '  %-34s old: %s| new: %s\n' "$name" "${times[old]}" "${times[new]}"
  unset times sig_db sig_out ok
done

echo
echo "== wall time, median of $RUNS (s); load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %-30s %9s %9s %7s\n' "importer" "input" "old" "new" "new/old"
printf '%s\n' "${RESULTS[@]}"
echo "(ks4 is not an importer: it reads a file and stores nothing; the old binary writes all 39 columns, the new"
echo " one 17 unless --detail, which the old one lacks; their 17 common columns are compared and agree.)"
echo
if [ ${#PROBLEMS[@]} -eq 0 ]; then
  echo "All runs exited 0; each binary left the same table counts and printed the same counts in every run, and old = new."
else
  echo "Problems (${#PROBLEMS[@]}):"; printf '  - %s\n' "${PROBLEMS[@]}"
fi
echo "Logs: $WORK/log (first run's output of each importer and binary: *-old-1.log, *-new-1.log)"
