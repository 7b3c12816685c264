"""Times docs/HQ.md's queries in DuckDB over a head office's folder (docs/PERFORMANCE.md).

    python3 docs/hq_time.py HQ_FOLDER [QUERY ...]

Reads the page's `sql` blocks (each under its `<!-- hq: NAME -->` marker), creates the views
in a fresh in-memory DuckDB, then runs each query named (all of them by default) and prints
its wall-clock and CPU times (all of DuckDB's threads) and row count. Needs Python's duckdb (the pinned wheel: PYTHONPATH as
`cargo xtask test` sets RELAIS_PYTHONPATH).
"""
import os, re, sys, time
import duckdb

page = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "HQ.md")).read()
blocks = dict(re.findall(r"<!-- hq: (\w+) -->\n```sql\n(.*?)\n```", page, re.S))
os.chdir(sys.argv[1])
con = duckdb.connect()
con.execute(blocks.pop("views"))
threads = con.sql("SELECT current_setting('threads')").fetchall()[0][0]
print(f"duckdb {duckdb.__version__}, {threads} threads")
for name in sys.argv[2:] or list(blocks):
    start, cpu = time.perf_counter(), time.process_time()
    rows = con.sql(blocks[name]).fetchall()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{name}: {wall:.2f} s ({cpu:.2f} s of CPU), {len(rows)} rows")
