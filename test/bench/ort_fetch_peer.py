#!/usr/bin/env python3
"""Python onnxruntime on a classifier fetching only the outputs LayerLab's runner fetches, for a like-for-like figure.

LayerLab's runner fetches `probabilities` and works out `label` itself, while the shared peer (bench_ort.py) fetches
every output. This times the same file, session settings and inputs as that peer (float32 standard normal per
input, 1 intra-op and 1 inter-op thread), with `session.run(FETCH, feeds)`. Prints one JSON object.

    ort_fetch_peer.py MODEL.onnx [--fetch probabilities] [--rows 10000] [--threads 1]
"""
import argparse, json, statistics, time
import numpy as np, onnxruntime as ort

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("model"); ap.add_argument("--fetch", action="append")
ap.add_argument("--rows", type=int, default=10_000); ap.add_argument("--runs", type=int, default=2000)
ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args()
fetch = a.fetch or ["probabilities"]
so = ort.SessionOptions(); so.intra_op_num_threads = a.threads; so.inter_op_num_threads = 1
s = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
rng = np.random.default_rng(0)


def feeds(n):
    return {i.name: rng.standard_normal((n, i.shape[1] if isinstance(i.shape[1], int) else 1)).astype(np.float32)
            for i in s.get_inputs()}


def timed(fn, n, warm):
    for _ in range(warm): fn()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter_ns(); fn(); ts.append((time.perf_counter_ns() - t0) / 1000)
    return sorted(ts)


one, many = feeds(1), feeds(a.rows)
single = timed(lambda: s.run(fetch, one), a.runs, 200)
batch = timed(lambda: s.run(fetch, many), 20, 3)
print(json.dumps({"bench": "ort-fetch", "onnxruntime": ort.__version__, "fetch": fetch, "threads": a.threads,
                  "single_row_us_p50": round(statistics.median(single), 1),
                  "batch_rows": a.rows, "batch_rows_per_s": round(a.rows / (statistics.median(batch) / 1e6))}))
