"""The benchmark of issue 12: `python -m bench all --partners 10000` (or `--quick`). Not part of the test run.

data.py generates the program with COPY; measures.py runs each measure with its floor or ceiling, interleaved;
load.py serves the portal with gunicorn and loads it with wrk; workers.py times the chunked night; table.py
prints the table the README's performance section holds. loyalty_jobs.py and ce_progress.py are separate
scripts with their own throw-away data.
"""
