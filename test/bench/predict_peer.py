#!/usr/bin/env python3
"""pandas + Python onnxruntime doing what `layerlab predict` does: read a CSV, feed each model input its column by
name, run the model, write the input columns and then the prediction columns to a CSV. Prints one JSON object.

    predict_peer.py MODEL.onnx DATA.csv OUT.csv [--threads 1]
"""
import argparse, json, time

t0 = time.perf_counter()
import numpy as np, pandas as pd, onnxruntime as ort

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("model"); ap.add_argument("data"); ap.add_argument("out")
ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args()
t_imported = time.perf_counter()

so = ort.SessionOptions(); so.intra_op_num_threads = a.threads; so.inter_op_num_threads = 1
session = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
frame = pd.read_csv(a.data)
t_read = time.perf_counter()

feeds = {}
for i in session.get_inputs():
    column = frame[i.name]
    if i.type == "tensor(string)":
        feeds[i.name] = column.fillna("").astype(str).to_numpy(dtype=object).reshape(-1, 1)
    else:
        feeds[i.name] = column.to_numpy(dtype=np.float32).reshape(-1, 1)
names = [o.name for o in session.get_outputs()]
results = session.run(names, feeds)
t_run = time.perf_counter()

out = frame.copy()
for name, values in zip(names, results):
    values = np.asarray(values)
    if values.ndim == 1 or values.shape[1] == 1:
        column = name if name not in out.columns else f"predicted_{name}"
        out[column] = values.reshape(-1)
    else:
        for k in range(values.shape[1]):
            out[f"{name}_{k}"] = values[:, k]
out.to_csv(a.out, index=False)
t_done = time.perf_counter()
print(json.dumps({"bench": "predict", "rows": len(frame), "threads": a.threads,
                  "import_s": round(t_imported - t0, 3), "read_s": round(t_read - t_imported, 3),
                  "run_s": round(t_run - t_read, 3), "write_s": round(t_done - t_run, 3),
                  "seconds_after_import": round(t_done - t_imported, 3)}))
