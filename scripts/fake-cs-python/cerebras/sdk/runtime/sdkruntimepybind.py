# A fake SdkRuntime: per-PE memory of 32-bit words, ROW_MAJOR = [h][w][count]. Outputs are preset by
# the harness (FAKE_PRESET) so run.py's reassembly and comparison are exercised end to end.
import json, os
import numpy as np
class MemcpyDataType:
    MEMCPY_32BIT = 32
    MEMCPY_16BIT = 16
class MemcpyOrder:
    ROW_MAJOR = 0
    COL_MAJOR = 1
MEM = {}
CALLS = []
class SdkRuntime:
    def __init__(self, name, cmaddr=None):
        self.name = name
    def load(self): pass
    def run(self): pass
    def stop(self):
        json.dump({"calls": CALLS, "mem": {f"{k[0]}@{k[1]},{k[2]}": v for k, v in MEM.items()}}, open(os.environ["FAKE_RECORD"], "w"))
    def get_id(self, symbol): return symbol
    def launch(self, name, nonblock):
        preset = json.load(open(os.environ["FAKE_PRESET"]))
        for key, words in preset.items():
            sym, xy = key.split("@"); x, y = map(int, xy.split(","))
            MEM[(sym, x, y)] = words
    def memcpy_h2d(self, sym, arr, x, y, w, h, count, streaming, order, data_type, nonblock):
        assert order == MemcpyOrder.ROW_MAJOR and arr.size == w * h * count, (arr.size, w, h, count)
        CALLS.append(["h2d", sym, x, y, w, h, count])
        words = np.asarray(arr).view(np.uint32) if arr.dtype.itemsize == 4 else arr.astype(np.uint32)
        for j in range(h):
            for i in range(w):
                k = j * w + i
                MEM[(sym, x + i, y + j)] = [int(v) for v in words[k * count:(k + 1) * count]]
    def memcpy_d2h(self, dest, sym, x, y, w, h, count, streaming, order, data_type, nonblock):
        CALLS.append(["d2h", sym, x, y, w, h, count])
        out = np.asarray(dest).view(np.uint32)
        for j in range(h):
            for i in range(w):
                k = j * w + i
                out[k * count:(k + 1) * count] = MEM[(sym, x + i, y + j)]
