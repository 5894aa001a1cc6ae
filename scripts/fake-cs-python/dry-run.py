"""Dry-runs an emitted project's run.py without a Cerebras SDK: a fake SdkRuntime (beside this file) keeps
each PE's memory as 32-bit words in ROW_MAJOR order. The output symbols are preset per PE from the saved
reference (as a correct device would hold them), so run.py's copy-in, read-back, reassembly and comparison
all run; afterwards every input PE's memory is checked against the .npy pieces independently.

Usage: python3 scripts/fake-cs-python/dry-run.py out/s      (needs numpy)"""
import importlib.util, json, os, shutil, subprocess, sys, tempfile
import numpy as np
project = sys.argv[1]
spec = importlib.util.spec_from_file_location("runpy_mod", os.path.join(project, "run.py"))
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
def words(values):
    values = np.ascontiguousarray(values).reshape(-1)
    return [int(v) for v in (values.view(np.uint16).astype(np.uint32) if values.dtype.itemsize == 2 else values.view(np.uint32))]
preset = {}
for symbol, shape, dtype, half, pieces, expected, *_ in mod.OUTPUTS:
    data = np.load(os.path.join(project, expected)).astype(dtype)
    for x, y, ranges in pieces:
        preset[f"{symbol}@{x},{y}"] = words(data[tuple(slice(a, b) for a, b in ranges)])
work = tempfile.mkdtemp(prefix="pfs-dry-run-")
json.dump(preset, open(os.path.join(work, "preset.json"), "w"))
env = dict(os.environ, PYTHONPATH=here, FAKE_PRESET=os.path.join(work, "preset.json"), FAKE_RECORD=os.path.join(work, "record.json"))
r = subprocess.run([sys.executable, os.path.join(project, "run.py"), "--name", "out"], env=env, capture_output=True, text=True)
print(r.stdout.strip(), r.stderr.strip()[-500:], "exit", r.returncode)
record = json.load(open(os.path.join(work, "record.json")))
shutil.rmtree(work)
bad = 0
for symbol, file, dtype, half, pieces in mod.INPUTS:
    data = np.load(os.path.join(project, file)).astype(dtype)
    for x, y, ranges in pieces:
        if record["mem"][f"{symbol}@{x},{y}"] != words(data[tuple(slice(a, b) for a, b in ranges)]):
            bad += 1
print("memcpy calls:", len(record["calls"]), "| input pieces in the wrong place:", bad)
sys.exit(1 if bad or r.returncode else 0)
