"""The benchmark of issue 12: `python -m bench all --partners 10000` (or `--quick`). Not part of the test run.

data.py generates the program with COPY; measures.py runs each measure with its floor or ceiling, interleaved;
load.py serves the portal with gunicorn (and loads it with wrk until bench_read_api.py is there); workers.py
calls bench_workers.py for the chunked night; table.py prints the table the README's performance section holds.
bench_compliance.py (nights, the verdict table's size), bench_daily_scan.py (first scan, worst day) and the other
bench_*.py, loyalty_jobs.py and ce_progress.py are separate scripts.
"""
