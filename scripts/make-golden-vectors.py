#!/usr/bin/env python3
"""Writes the golden vectors that pin PyFlameIR's reference evaluator to NumPy.

Run from the repository root (or anywhere):   python3 scripts/make-golden-vectors.py

It needs Python 3 and numpy (2.x). The output is deterministic: fixed inputs plus a seeded
numpy Generator, so running it again rewrites the same bytes. It writes, under
Tests/PyFlameIRTests/Golden/:

  evaluator.json     one case per op application: op, dtype, inputs, expected value and how to compare
  dtype-round.json   DType.round on chosen doubles (ties, overflow, subnormals, double rounding, wrapping)
  randn.json         the first raw bits and normals of NormalGenerator for a few seeds
  npy-expected.json  what each .npy file below must decode to (or the reason it is refused)
  *.npy              small files written by numpy itself

Every float is written as the 16 hex digits of its float64 bit pattern, so it round-trips exactly.

The expected values follow the semantics the evaluator defines (docs/language.md):
  * values are doubles, each exact in its dtype; rounding to a dtype: f32 = RNE from float64;
    f16 = float64 -> float32 -> float16; bf16 = float64 -> float32 -> bf16 by RNE on the f32 bits;
    i32/i16 = truncate toward zero (NaN -> 0, saturating at +-9.2e18), then wrap two's complement.
  * unary functions: float64 on the exact input, rounded once to the dtype. relu/neg/abs are exact
    ("exact" check); exp, tanh, sigmoid, gelu, silu, sqrt use numpy's float64 functions and the Swift
    test allows 1 ulp of the dtype ("ulp1" check) for libm differences.
  * add/sub/mul/div: float64 op rounded once to the dtype (checked against numpy's own float32 and
    float16 arithmetic below); integers: exact arithmetic, division truncating toward zero, then wrap.
  * reductions and matmul: a numpy.float32 scalar loop that accumulates sequentially in index order
    (the "expected" value, compared exactly) plus numpy's float64 np.sum / np.mean / np.max / np.matmul
    with n and sum(|terms|), so the test also checks |result - numpy| <= n * eps * sum(|terms|).
  * randn: xoshiro256** seeded by SplitMix64, Box-Muller (cos, then sin) with math.log/sin/cos.
"""

import io
import json
import math
import os
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "PyFlameIRTests", "Golden")
RNG = np.random.default_rng(20250611)
FLOATS = ["f32", "f16", "bf16"]
INTS = ["i32", "i16"]
INT_BITS = {"i32": 32, "i16": 16}
NP_INT = {"i32": np.int32, "i16": np.int16}
EPS = {"f32": 2.0 ** -23, "f16": 2.0 ** -10, "bf16": 2.0 ** -7, "i32": 0.0, "i16": 0.0}

np.seterr(all="ignore")


# ---------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------

def hx(x):
    """The float64 bit pattern of x as 16 hex digits (the file format for every float)."""
    return struct.pack(">d", float(x)).hex()


def hxs(xs):
    return [hx(x) for x in xs]


# ---------------------------------------------------------------------------------------------
# Rounding to a dtype (DType.round)
# ---------------------------------------------------------------------------------------------

def f32_bits(f):
    return int(np.array([f], dtype=np.float32).view(np.uint32)[0])


def f32_from_bits(b):
    return np.array([b], dtype=np.uint32).view(np.float32)[0]


def round_bf16_f32(f):
    """An np.float32 rounded to the nearest bf16 (ties to even) on its bit pattern."""
    if np.isnan(f):
        return np.float32(np.nan)
    b = f32_bits(f)
    b = (b + 0x7FFF + ((b >> 16) & 1)) & 0xFFFF0000
    return f32_from_bits(b)


def wrap(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >= 1 << (bits - 1) else v


def to_int64(x):
    """Truncation toward zero, saturating as DType.toInt64 does (NaN -> 0)."""
    if math.isnan(x):
        return 0
    if x >= 9.2e18:
        return 2 ** 63 - 1
    if x <= -9.2e18:
        return -(2 ** 63)
    return int(x)


def rnd(dtype, x):
    x = float(x)
    if dtype == "f32":
        return float(np.float32(x))
    if dtype == "f16":
        return float(np.float16(np.float32(x)))
    if dtype == "bf16":
        return float(round_bf16_f32(np.float32(x)))
    return float(wrap(to_int64(x), INT_BITS[dtype]))


def rnds(dtype, xs):
    return [rnd(dtype, x) for x in xs]


# ---------------------------------------------------------------------------------------------
# Test data
# ---------------------------------------------------------------------------------------------

MAX = {"f32": float(np.finfo(np.float32).max), "f16": 65504.0, "bf16": float(f32_from_bits(0x7F7F0000))}
MIN_SUB = {"f32": 2.0 ** -149, "f16": 2.0 ** -24, "bf16": 2.0 ** -133}
MIN_NORMAL = {"f32": 2.0 ** -126, "f16": 2.0 ** -14, "bf16": 2.0 ** -126}
IMAX = {"i32": 2 ** 31 - 1, "i16": 2 ** 15 - 1}
IMIN = {"i32": -(2 ** 31), "i16": -(2 ** 15)}


def specials(dtype):
    """Special values of a float dtype: zeros, infinities, nan, subnormal, extremes."""
    return rnds(dtype, [0.0, -0.0, 1.0, -1.5, math.inf, -math.inf, math.nan,
                        MIN_SUB[dtype], MIN_NORMAL[dtype], MAX[dtype], 0.1, 3.0])


def int_specials(dtype):
    return [0.0, 1.0, -1.0, 2.0, -7.0, 7.0, 1000.0, -1000.0, float(IMAX[dtype]), float(IMIN[dtype]),
            float(IMAX[dtype] - 1), 12345.0 if dtype == "i32" else 123.0]


def randf(dtype, n, lo=-1.0, hi=1.0):
    """Normal values with magnitudes 10^lo..10^hi, exact in the dtype."""
    mags = 10.0 ** RNG.uniform(lo, hi, n)
    return rnds(dtype, RNG.standard_normal(n) * mags)


def randi(dtype, n, bound):
    return [float(v) for v in RNG.integers(-bound, bound + 1, n)]


def count(shape):
    return int(np.prod(shape, dtype=np.int64)) if shape else 1


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

CASES = []


def tensor(shape, data):
    assert len(data) == count(shape), (shape, len(data))
    return {"shape": list(shape), "data": hxs(data)}


def add_case(name, op, dtype, inputs, expected=None, check="exact", numpy_ref=None, error=None):
    case = {"name": name, "op": op, "dtype": dtype, "inputs": [tensor(s, d) for s, d in inputs]}
    if error is not None:
        case["error"] = error
    else:
        shape, data = expected
        case["expected"] = tensor(shape, data)
        case["check"] = check
        if numpy_ref is not None:
            ref, abs_sum, n = numpy_ref
            case["numpy"] = {"data": hxs(ref), "absSum": hxs(abs_sum), "terms": int(n)}
    CASES.append(case)


# ---- unary ----------------------------------------------------------------------------------

EXACT_UNARY = ["relu", "neg", "abs"]
ULP_UNARY = ["sigmoid", "tanh", "exp", "sqrt", "gelu", "silu"]


def unary_exact_ref(f, x):
    if f == "relu":
        return x if (x > 0 or math.isnan(x)) else 0.0
    if f == "neg":
        return -x
    return abs(x)


def unary_numpy_ref(f, xs):
    x = np.array(xs, dtype=np.float64)
    if f == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if f == "tanh":
        return np.tanh(x)
    if f == "exp":
        return np.exp(x)
    if f == "sqrt":
        return np.sqrt(x)
    if f == "gelu":
        return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))
    if f == "silu":
        return x / (1.0 + np.exp(-x))
    raise ValueError(f)


def unary_cases():
    for dtype in FLOATS:
        xs = specials(dtype) + rnds(dtype, [-100, -20, -16, -5, -1.5, -0.25, 1e-3, 0.3, 2, 5, 11.5, 20, 100]) \
            + randf(dtype, 15, -1, 0.7)
        shape = [len(xs)]
        for f in EXACT_UNARY:
            add_case(f"{f} {dtype} specials", {"kind": "unary", "function": f}, dtype, [(shape, xs)],
                     (shape, [rnd(dtype, unary_exact_ref(f, x)) for x in xs]))
        for f in ULP_UNARY:
            add_case(f"{f} {dtype} specials", {"kind": "unary", "function": f}, dtype, [(shape, xs)],
                     (shape, rnds(dtype, unary_numpy_ref(f, xs))), check="ulp1")
    # A 2-D input keeps its shape.
    xs = randf("f32", 6)
    add_case("tanh f32 2-D", {"kind": "unary", "function": "tanh"}, "f32", [([2, 3], xs)],
             ([2, 3], rnds("f32", unary_numpy_ref("tanh", xs))), check="ulp1")
    for dtype in INTS:
        xs = int_specials(dtype) + [float(IMIN[dtype] + 1), -5.0]
        shape = [len(xs)]
        for f in EXACT_UNARY:
            ref = [float(wrap(int(unary_exact_ref(f, x)) if f != "neg" else -int(x), INT_BITS[dtype])) for x in xs]
            add_case(f"{f} {dtype} wrapping", {"kind": "unary", "function": f}, dtype, [(shape, xs)], (shape, ref))


# ---- binary ---------------------------------------------------------------------------------

BINARY = ["add", "sub", "mul", "div"]


def float_binop(f, x, y):
    if f == "add":
        return x + y
    if f == "sub":
        return x - y
    if f == "mul":
        return x * y
    if y == 0.0 or math.isnan(y) or math.isnan(x):
        return float(np.float64(x) / np.float64(y))   # IEEE division (inf/nan), which Python refuses
    return x / y


def int_binop(f, a, b, bits):
    a, b = int(a), int(b)
    if f == "add":
        v = a + b
    elif f == "sub":
        v = a - b
    elif f == "mul":
        v = a * b
    else:
        q = abs(a) // abs(b)
        v = q if (a < 0) == (b < 0) else -q
    return float(wrap(v, bits))


def broadcast_eval(f, dtype, sa, a, sb, b):
    """NumPy broadcasting of two flat row-major tensors; returns (shape, flat result)."""
    A = np.arange(count(sa)).reshape(sa)
    B = np.arange(count(sb)).reshape(sb)
    IA, IB = np.broadcast_arrays(A, B)
    shape = list(IA.shape)
    out = []
    for ia, ib in zip(IA.ravel(), IB.ravel()):
        x, y = a[ia], b[ib]
        if dtype in INTS:
            out.append(int_binop(f, x, y, INT_BITS[dtype]))
        else:
            out.append(rnd(dtype, float_binop(f, x, y)))
    return shape, out


NP_FLOAT = {"f32": np.float32, "f16": np.float16}


def check_against_numpy(f, dtype, sa, a, sb, b, shape, out):
    """The evaluator's float64-then-round rule must equal numpy's own f32/f16/int arithmetic."""
    if dtype in NP_FLOAT:
        t = NP_FLOAT[dtype]
        x, y = np.array(a, t).reshape(sa), np.array(b, t).reshape(sb)
        r = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide}[f](x, y)
        got = r.astype(np.float64).ravel()
    elif dtype in INTS:
        if f == "div":
            return
        t = NP_INT[dtype]
        x, y = np.array(a).astype(t).reshape(sa), np.array(b).astype(t).reshape(sb)
        r = {"add": np.add, "sub": np.subtract, "mul": np.multiply}[f](x, y)
        got = r.astype(np.float64).ravel()
    else:
        return
    want = np.array(out)
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    same &= (np.signbit(got) == np.signbit(want)) | np.isnan(want)
    if not same.all():
        print(f"warning: {f} {dtype} differs from numpy's own arithmetic at {np.flatnonzero(~same)[:5]}",
              file=sys.stderr)


def binary_case(name, f, dtype, sa, a, sb, b):
    shape, out = broadcast_eval(f, dtype, sa, a, sb, b)
    check_against_numpy(f, dtype, sa, a, sb, b, shape, out)
    add_case(name, {"kind": "binary", "function": f}, dtype, [(sa, a), (sb, b)], (shape, out))


def binary_cases():
    for dtype in FLOATS:
        s = specials(dtype)
        n = len(s)
        for f in BINARY:
            # every pair of special values: [n,1] op [n] broadcasts to [n,n]
            binary_case(f"{f} {dtype} special pairs [{n},1] op [{n}]", f, dtype, [n, 1], s, [n], s)
            binary_case(f"{f} {dtype} random [3,5]", f, dtype, [3, 5], randf(dtype, 15), [3, 5], randf(dtype, 15))
        # Overflow and underflow at the edges of the range.
        big = rnds(dtype, [MAX[dtype], MAX[dtype] * 0.75, -MAX[dtype], MIN_SUB[dtype], 3 * MIN_SUB[dtype]])
        binary_case(f"add {dtype} overflow", "add", dtype, [5], big, [5], big)
        binary_case(f"mul {dtype} overflow and underflow", "mul", dtype, [5], big, [1], rnds(dtype, [1.5]))
        binary_case(f"div {dtype} underflow to subnormal", "div", dtype, [5], big, [1], [2.0])
    # f16: 65504 + 16 = 65520 is a tie between 65504 and 2^16 and rounds (to even) to inf.
    binary_case("add f16 tie rounds to inf", "add", "f16", [3], [65504.0, 65504.0, -65504.0],
                [3], [16.0, 15.0, -16.0])
    # broadcasting shapes
    binary_case("add f32 [3,1]+[4]", "add", "f32", [3, 1], randf("f32", 3), [4], randf("f32", 4))
    binary_case("mul f32 [2,3]*[3]", "mul", "f32", [2, 3], randf("f32", 6), [3], randf("f32", 3))
    binary_case("sub f16 [4]-[3,1]", "sub", "f16", [4], randf("f16", 4), [3, 1], randf("f16", 3))
    binary_case("div bf16 [2,1,4]/[3,1]", "div", "bf16", [2, 1, 4], randf("bf16", 8), [3, 1], randf("bf16", 3))
    binary_case("add f32 []+[3]", "add", "f32", [], [2.5], [3], randf("f32", 3))
    binary_case("mul f32 [1]*[5]", "mul", "f32", [1], [rnd("f32", 0.1)], [5], randf("f32", 5))
    binary_case("sub bf16 [2,3,1]-[1,1,5]", "sub", "bf16", [2, 3, 1], randf("bf16", 6), [1, 1, 5], randf("bf16", 5))
    binary_case("add i32 [3,1]+[4]", "add", "i32", [3, 1], randi("i32", 3, 1000), [4], randi("i32", 4, 1000))
    binary_case("mul i16 [2,3]*[3]", "mul", "i16", [2, 3], randi("i16", 6, 300), [3], randi("i16", 3, 300))
    for dtype in INTS:
        s = int_specials(dtype)
        nonzero = [x for x in s if x != 0] + [-1.0, 3.0, -2.0]
        for f in BINARY:
            b = nonzero if f == "div" else s
            binary_case(f"{f} {dtype} special pairs [{len(s)},1] op [{len(b)}]", f, dtype, [len(s), 1], s, [len(b)], b)
        bound = 1 << (INT_BITS[dtype] - 2)
        divisor = [x if x != 0 else 7.0 for x in randi(dtype, 12, 40)]
        binary_case(f"div {dtype} random truncates toward zero", "div", dtype, [12], randi(dtype, 12, bound), [12], divisor)


def scalar_case(name, f, dtype, shape, a, scalar, left):
    s = rnd(dtype, scalar)     # the scalar takes the tensor's dtype first
    out = []
    for x in a:
        p, q = (s, x) if left else (x, s)
        out.append(int_binop(f, p, q, INT_BITS[dtype]) if dtype in INTS else rnd(dtype, float_binop(f, p, q)))
    add_case(name, {"kind": "binary", "function": f, "scalar": hx(scalar), "scalarIsLeft": left}, dtype,
             [(shape, a)], (shape, out))


def scalar_cases():
    scalar_case("sub f32 a - 0.1", "sub", "f32", [2, 3], randf("f32", 6), 0.1, False)
    scalar_case("sub f32 0.1 - a", "sub", "f32", [2, 3], randf("f32", 6), 0.1, True)
    scalar_case("mul f16 a * 1e5 (scalar overflows f16)", "mul", "f16", [4], rnds("f16", [1, -2, 0, 0.5]), 1e5, False)
    scalar_case("div bf16 1 / a", "div", "bf16", [5], rnds("bf16", [3, -0.0, 0.0, 7, -0.1]), 1.0, True)
    scalar_case("add f16 a + 1/3", "add", "f16", [4], randf("f16", 4), 1 / 3, False)
    scalar_case("mul i32 a * 3", "mul", "i32", [5], [1.0, -2.0, float(IMAX["i32"]), float(IMIN["i32"]), 0.0], 3.0, False)
    scalar_case("div i32 100 / a", "div", "i32", [5], [1.0, -3.0, 7.0, -200.0, 33.0], 100.0, True)
    scalar_case("sub i16 5 - a", "sub", "i16", [4], [1.0, -32768.0, 32767.0, 5.0], 5.0, True)
    scalar_case("add i16 a + 30000 wraps", "add", "i16", [3], [10000.0, -1.0, 2768.0], 30000.0, False)
    scalar_case("div i32 a / 2.5 (scalar truncated to 2)", "div", "i32", [3], [7.0, -7.0, 1.0], 2.5, False)


# ---- reductions -----------------------------------------------------------------------------

def seq_reduce(f, dtype, vals):
    """One reduced line: f32 sequential accumulation (numpy.float32 scalars) or exact integers."""
    n = len(vals)
    if dtype in INTS:
        if n == 0:
            return 0.0
        ints = [int(v) for v in vals]
        v = sum(ints) if f == "sum" else max(ints) if f == "max" else min(ints)
        return float(wrap(v, INT_BITS[dtype]))
    if f in ("sum", "mean"):
        acc = np.float32(0.0)
        for v in vals:
            acc = np.float32(acc + np.float32(v))
        if f == "mean":
            acc = np.float32(acc / np.float32(n))
        return rnd(dtype, float(acc))
    if n == 0:
        return math.nan
    acc = np.float32(vals[0])
    for v in vals:
        v = np.float32(v)
        if np.isnan(v) or np.isnan(acc):
            acc = np.float32(np.nan)
        elif f == "max":
            acc = v if v >= acc else acc     # Swift.max: the later value on ties
        else:
            acc = v if v < acc else acc      # Swift.min: the earlier value on ties
    return rnd(dtype, float(acc))


def reduce_case(name, f, dtype, shape, data, dim, keepdim, with_numpy=True):
    x = np.array(data, dtype=np.float64).reshape(shape)
    axis = None if dim is None else dim % len(shape)
    moved = x.reshape(-1, 1) if axis is None else np.moveaxis(x, axis, -1)
    lines = moved.reshape(-1, moved.shape[-1]) if axis is not None else x.reshape(1, -1)
    n = lines.shape[1]
    out = [seq_reduce(f, dtype, list(line)) for line in lines]
    if axis is None:
        out_shape = [1] * len(shape) if keepdim else []
    else:
        out_shape = list(shape)
        if keepdim:
            out_shape[axis] = 1
        else:
            del out_shape[axis]
    numpy_ref = None
    if with_numpy:
        if dtype in INTS:
            xi = x.astype(np.int64)
            r = {"sum": np.sum, "max": np.max, "min": np.min}[f](xi, axis=axis)
            ref = np.atleast_1d(r).astype(NP_INT[dtype]).astype(np.float64).ravel()
            abs_sum = np.zeros(len(out))
        else:
            fn = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}[f]
            ref = [rnd(dtype, v) for v in np.atleast_1d(fn(x, axis=axis)).ravel()]
            if f in ("sum", "mean"):
                abs_sum = np.atleast_1d(np.sum(np.abs(x), axis=axis)).ravel()
                if f == "mean":
                    abs_sum = abs_sum / n     # the terms of a mean are x_i / n
            else:
                abs_sum = np.zeros(len(out))
        numpy_ref = (list(ref), list(abs_sum), n)
    add_case(name, {"kind": "reduce", "function": f, "dim": dim, "keepdim": keepdim}, dtype, [(shape, data)],
             (out_shape, out), check="exact", numpy_ref=numpy_ref)


REDUCE_CONFIGS = [
    ([3, 4], None, False), ([3, 4], 0, False), ([3, 4], 1, True), ([2, 3, 4], -1, False),
    ([2, 3, 4], 1, True), ([2, 3, 4], -3, False), ([2, 3, 4], None, True), ([64], 0, False),
]


def reduction_cases():
    for dtype in FLOATS:
        for f in ["sum", "mean", "max", "min"]:
            for shape, dim, keepdim in REDUCE_CONFIGS:
                if f in ("max", "min") and shape == [2, 3, 4] and dim in (1, -3):
                    continue
                hi = 3.0 if dtype == "f16" else 4.0
                data = randf(dtype, count(shape), -3.0, hi)
                reduce_case(f"{f} {dtype} {shape} dim={dim} keepdim={keepdim}", f, dtype, shape, data, dim, keepdim)
    for dtype in INTS:
        bound = 1 << (INT_BITS[dtype] - 3)
        for f in ["sum", "max", "min"]:
            for shape, dim, keepdim in REDUCE_CONFIGS[:5]:
                reduce_case(f"{f} {dtype} {shape} dim={dim} keepdim={keepdim}", f, dtype, shape,
                            randi(dtype, count(shape), bound), dim, keepdim)
    # Special cases.
    inf, nan = math.inf, math.nan
    reduce_case("sum f32 order matters: 1e8 + 1 - 1e8 + 1", "sum", "f32", [4], [1e8, 1.0, -1e8, 1.0], None, False)
    reduce_case("sum f32 inf - inf is nan", "sum", "f32", [3], [1.0, inf, -inf], None, False)
    reduce_case("sum f32 nan propagates", "sum", "f32", [3], [1.0, nan, 2.0], 0, False)
    reduce_case("sum f32 of -0s is +0 (accumulator starts at +0)", "sum", "f32", [2], [-0.0, -0.0], None, False)
    reduce_case("sum f32 subnormals", "sum", "f32", [4], [MIN_SUB["f32"]] * 4, None, False)
    reduce_case("sum f32 intermediate overflow (no numpy bound)", "sum", "f32", [3],
                rnds("f32", [3e38, 3e38, -3e38]), None, False, with_numpy=False)
    reduce_case("sum f16 accumulates in f32 beyond the f16 range", "sum", "f16", [3], [60000.0, 60000.0, -60000.0], None, False)
    reduce_case("sum f16 overflows to inf at the final rounding", "sum", "f16", [2], [40000.0, 40000.0], None, False)
    reduce_case("mean f16 of the largest values", "mean", "f16", [2], [65504.0, 65504.0], None, False)
    reduce_case("sum bf16 of 300 ones accumulates in f32", "sum", "bf16", [300], [1.0] * 300, None, False)
    reduce_case("sum f16 of 3000 ones accumulates in f32", "sum", "f16", [3000], [1.0] * 3000, None, False)
    reduce_case("mean f32 [2,3] dim=-1 with inf", "mean", "f32", [2, 3], [1.0, 2.0, 4.0, inf, 1.0, 2.0], -1, False)
    reduce_case("max f32 nan in the middle", "max", "f32", [2, 3], [1.0, nan, 3.0, 4.0, 5.0, -inf], 1, False)
    reduce_case("min f32 nan first", "min", "f32", [3], [nan, -1.0, 2.0], None, False)
    reduce_case("min bf16 -inf", "min", "bf16", [3], [1.0, -inf, 2.0], None, True)
    reduce_case("max f16 -0 beats -1", "max", "f16", [3], [-1.0, -0.0, -2.0], None, False)
    reduce_case("min f32 -0 among positives", "min", "f32", [3], [0.5, -0.0, 1.0], 0, True)
    reduce_case("max f16 inf", "max", "f16", [2, 2], [1.0, inf, -65504.0, 2.0], 0, False)
    reduce_case("sum i32 wraps", "sum", "i32", [3], [float(IMAX["i32"]), 1.0, 5.0], None, False)
    reduce_case("sum i16 wraps", "sum", "i16", [2, 2], [30000.0, 30000.0, -30000.0, -30000.0], 1, False)
    reduce_case("max i32 extremes", "max", "i32", [3], [float(IMIN["i32"]), float(IMAX["i32"]), 0.0], None, False)
    reduce_case("min i16 extremes", "min", "i16", [3], [0.0, float(IMAX["i16"]), float(IMIN["i16"])], None, True)


# ---- matmul ---------------------------------------------------------------------------------

def matmul_case(name, dtype, sa, a, sb, b, with_numpy=True):
    A = np.array(a, dtype=np.float64).reshape(sa)
    B = np.array(b, dtype=np.float64).reshape(sb)
    A2 = A.reshape(1, -1) if len(sa) == 1 else A
    B2 = B.reshape(-1, 1) if len(sb) == 1 else B
    m, k = A2.shape
    n = B2.shape[1]
    out = []
    for i in range(m):
        for j in range(n):
            if dtype in INTS:
                v = sum(int(A2[i, p]) * int(B2[p, j]) for p in range(k))
                out.append(float(wrap(v, INT_BITS[dtype])))
            else:
                acc = np.float32(0.0)
                for p in range(k):
                    prod = np.float32(np.float32(A2[i, p]) * np.float32(B2[p, j]))
                    acc = np.float32(acc + prod)
                out.append(rnd(dtype, float(acc)))
    shape = ([sa[0]] if len(sa) == 2 else []) + ([sb[1]] if len(sb) == 2 else [])
    numpy_ref = None
    if with_numpy:
        if dtype in INTS:
            r = np.matmul(A.astype(np.int64), B.astype(np.int64))
            ref = np.atleast_1d(r).astype(NP_INT[dtype]).astype(np.float64).ravel()
            abs_sum = np.zeros(len(out))
        else:
            ref = [rnd(dtype, v) for v in np.atleast_1d(np.matmul(A, B)).ravel()]
            abs_sum = np.atleast_1d(np.matmul(np.abs(A), np.abs(B))).ravel()
        numpy_ref = (list(ref), list(abs_sum), k)
    add_case(name, {"kind": "matmul"}, dtype, [(sa, a), (sb, b)], (shape, out), numpy_ref=numpy_ref)


def matmul_cases():
    shapes = [([2, 3], [3, 4]), ([3], [3, 4]), ([2, 3], [3]), ([5], [5]), ([1, 5], [5, 1]), ([4, 16], [16, 3])]
    for dtype in FLOATS + INTS:
        for sa, sb in shapes:
            if dtype in INTS:
                bound = 1000 if dtype == "i32" else 40
                a, b = randi(dtype, count(sa), bound), randi(dtype, count(sb), bound)
            else:
                a, b = randf(dtype, count(sa), -2, 2), randf(dtype, count(sb), -2, 2)
            matmul_case(f"matmul {dtype} {sa}@{sb}", dtype, sa, a, sb, b)
    matmul_case("matmul f32 [64]@[64,2] mixed magnitudes", "f32", [64], randf("f32", 64, -4, 4),
                [64, 2], randf("f32", 128, -4, 4))
    matmul_case("matmul f32 inf * 0 is nan", "f32", [2], [1.0, math.inf], [2, 2], [1.0, 2.0, 0.0, 1.0])
    matmul_case("matmul f16 accumulates in f32 beyond the f16 range", "f16", [1, 2], [300.0, 300.0],
                [2, 1], [300.0, -300.0])
    matmul_case("matmul bf16 rounds once at the end", "bf16", [3], [1.0, 1.0, 1.0], [3, 1],
                rnds("bf16", [256.0, 1.0, 1.0]))
    matmul_case("matmul i32 wraps", "i32", [2], [float(IMAX["i32"]), 2.0], [2, 2], [1.0, 2.0, 1.0, 1.0])
    # Each product and the sum exceed 2^53: exact only if the integer result is wrapped before becoming a double.
    matmul_case("matmul i32 wraps beyond 2^53", "i32", [2], [float(IMAX["i32"])] * 2, [2, 1], [float(IMAX["i32"])] * 2)
    matmul_case("matmul i16 wraps", "i16", [2, 2], [300.0, 300.0, -1.0, 2.0], [2], [100.0, 10.0])


# ---- data movement --------------------------------------------------------------------------

def transpose_case(name, dtype, shape, data, d0, d1):
    x = np.array(data, dtype=np.float64).reshape(shape)
    if len(shape) >= 2:
        y = np.swapaxes(x, d0, d1)
    else:
        y = x
    add_case(name, {"kind": "transpose", "d0": d0, "d1": d1}, dtype, [(shape, data)],
             (list(y.shape), list(y.ravel())))


def reshape_case(name, dtype, shape, data, target):
    y = np.array(data, dtype=np.float64).reshape(target)
    add_case(name, {"kind": "reshape", "shape": target}, dtype, [(shape, data)], (list(y.shape), list(y.ravel())))


def movement_cases():
    f32 = randf("f32", 24)
    f32[1], f32[5], f32[7] = -0.0, math.nan, math.inf
    transpose_case("transpose f32 [2,3] (0,1)", "f32", [2, 3], f32[:6], 0, 1)
    transpose_case("transpose f32 [2,3] (1,0)", "f32", [2, 3], f32[:6], 1, 0)
    transpose_case("transpose f32 [2,3] (-1,-2)", "f32", [2, 3], f32[:6], -1, -2)
    transpose_case("transpose f32 [2,3,4] (0,2)", "f32", [2, 3, 4], f32, 0, 2)
    transpose_case("transpose f32 [2,3,4] (1,2)", "f32", [2, 3, 4], f32, 1, 2)
    transpose_case("transpose f32 [2,3,4] (-1,-3)", "f32", [2, 3, 4], f32, -1, -3)
    transpose_case("transpose f32 [2,3,4] (0,1)", "f32", [2, 3, 4], f32, 0, 1)
    transpose_case("transpose f32 [2,3,4] (1,1) is the identity", "f32", [2, 3, 4], f32, 1, 1)
    transpose_case("transpose f32 [5] is the identity", "f32", [5], f32[:5], 0, 1)
    transpose_case("transpose f16 [3,2]", "f16", [3, 2], rnds("f16", [-0.0, 65504, math.nan, 2 ** -24, -1, 0.1]), 0, 1)
    transpose_case("transpose bf16 [4,3,2] (0,2)", "bf16", [4, 3, 2], randf("bf16", 24), 0, 2)
    transpose_case("transpose i16 [2,5]", "i16", [2, 5], randi("i16", 10, 32767), 0, 1)
    transpose_case("transpose i32 [1,4]", "i32", [1, 4], [float(IMIN["i32"]), 1.0, -1.0, float(IMAX["i32"])], 0, 1)
    reshape_case("reshape f32 [2,3,4] to [4,-1]", "f32", [2, 3, 4], f32, [4, -1])
    reshape_case("reshape i32 [6] to [2,3]", "i32", [6], randi("i32", 6, 100), [2, 3])
    reshape_case("reshape bf16 [2,3] to [6]", "bf16", [2, 3], randf("bf16", 6), [6])


# ---- constructors ---------------------------------------------------------------------------

def arange_case(name, dtype, start, stop, step):
    n = max(0, math.ceil((stop - start) / step))
    out = [rnd(dtype, start + i * step) for i in range(n)]
    add_case(name, {"kind": "arange", "start": hx(start), "stop": hx(stop), "step": hx(step)}, dtype, [],
             ([n], out))


def constructor_cases():
    arange_case("arange f32 0..<10", "f32", 0.0, 10.0, 1.0)
    arange_case("arange f32 0.1..<1 step 0.1", "f32", 0.1, 1.0, 0.1)
    arange_case("arange f32 1 down to 0 step -0.125", "f32", 1.0, 0.0, -0.125)
    arange_case("arange f32 past 2^24", "f32", 16777210.0, 16777222.0, 1.0)
    arange_case("arange f16 past 2048", "f16", 2040.0, 2060.0, 1.0)
    arange_case("arange f16 past 65504", "f16", 65500.0, 65530.0, 5.0)
    arange_case("arange bf16 past 256", "bf16", 250.0, 262.0, 1.0)
    arange_case("arange i32 step 0.5 truncates", "i32", 0.0, 3.0, 0.5)
    arange_case("arange i32 negative start truncates toward zero", "i32", -3.0, 3.0, 0.75)
    arange_case("arange i16 wraps past 32767", "i16", 32760.0, 32775.0, 1.0)
    for name, dtype, shape, v in [("full f32 0.1", "f32", [2, 2], 0.1), ("full f16 1e5 is inf", "f16", [3], 1e5),
                                  ("full bf16 1/3", "bf16", [2], 1 / 3), ("full i32 -2.7 truncates", "i32", [2], -2.7),
                                  ("full i16 70000 wraps", "i16", [1, 2], 70000.0),
                                  ("full f16 subnormal", "f16", [1], 3e-8)]:
        add_case(name, {"kind": "full", "value": hx(v)}, dtype, [], (shape, [rnd(dtype, v)] * count(shape)))
    for dtype in FLOATS + INTS:
        add_case(f"ones {dtype} [2,3]", {"kind": "ones"}, dtype, [], ([2, 3], [1.0] * 6))
        add_case(f"zeros {dtype} [3]", {"kind": "zeros"}, dtype, [], ([3], [0.0] * 3))
    for seed, dtype, shape in [(7, "f32", [3, 5]), (7, "f16", [2, 4]), (7, "bf16", [8]), (42, "f32", [7]),
                               (2 ** 64 - 1, "f32", [4])]:
        g = NormalGenerator(seed)
        vals = [rnd(dtype, g.next()) for _ in range(count(shape))]
        add_case(f"randn {dtype} {shape} seed={seed}", {"kind": "randn", "seed": str(seed)}, dtype, [], (shape, vals))


# ---- errors ---------------------------------------------------------------------------------

def error_cases():
    def err(name, op, dtype, inputs, stage, contains):
        add_case(name, op, dtype, inputs, error={"stage": stage, "contains": contains})
    div = {"kind": "binary", "function": "div"}
    err("div i32 by a zero element", div, "i32", [([2, 3], [1.0, 2, 3, 4, 5, 6]), ([3], [1.0, 0.0, 2.0])],
        "evaluate", "division by zero")
    err("div i16 by a zero element (same shapes)", div, "i16", [([2], [1.0, 2.0]), ([2], [3.0, 0.0])],
        "evaluate", "division by zero")
    err("div i16 by scalar 0", {"kind": "binary", "function": "div", "scalar": hx(0.0), "scalarIsLeft": False},
        "i16", [([3], [1.0, 2.0, 3.0])], "evaluate", "division by zero")
    err("div i32 scalar left by a zero element",
        {"kind": "binary", "function": "div", "scalar": hx(5.0), "scalarIsLeft": True},
        "i32", [([3], [1.0, 0.0, 3.0])], "evaluate", "division by zero")
    err("div i32 by scalar 0.5 (truncated to 0)",
        {"kind": "binary", "function": "div", "scalar": hx(0.5), "scalarIsLeft": False},
        "i32", [([2], [1.0, 2.0])], "evaluate", "division by zero")
    err("mean refuses i32", {"kind": "reduce", "function": "mean", "dim": None, "keepdim": False}, "i32",
        [([3], [1.0, 2.0, 3.0])], "type", "mean needs a floating-point tensor")
    err("exp refuses i16", {"kind": "unary", "function": "exp"}, "i16", [([2], [1.0, 2.0])], "type",
        "exp needs a floating-point tensor")
    err("add [3] + [4] does not broadcast", {"kind": "binary", "function": "add"}, "f32",
        [([3], [1.0, 2, 3]), ([4], [1.0, 2, 3, 4])], "type", "Shapes are not broadcastable: dimension 3 vs 4")
    err("matmul [2,4] @ [5] is not aligned", {"kind": "matmul"}, "f32",
        [([2, 4], [0.0] * 8), ([5], [0.0] * 5)], "type", "matmul: shapes not aligned: 4 vs 5")
    err("sum dim 2 of a 2-D tensor", {"kind": "reduce", "function": "sum", "dim": 2, "keepdim": False}, "f32",
        [([2, 2], [0.0] * 4)], "type", "Reduction dimension out of range")


# ---- cast, slice, concat, shift (issue 15) ----------------------------------------------------
# Their own generator, run after every older case, so adding them leaves the older cases' data unchanged.

RNG15 = np.random.default_rng(20261207)
NP_DTYPE = {"f32": np.float32, "f16": np.float16, "i32": np.int32, "i16": np.int16}


def randf15(dtype, n, lo=-1.0, hi=1.0):
    mags = 10.0 ** RNG15.uniform(lo, hi, n)
    return rnds(dtype, RNG15.standard_normal(n) * mags)


def cast_case(name, src, dst, xs):
    """cast(x, dst) is DType.round to dst of each (exact) element. Where NumPy defines astype (every float
    to float, int to int and int to float; a float to an int only for finite in-range values), the
    expected values are checked here against NumPy's own astype."""
    out = rnds(dst, xs)
    if src in NP_DTYPE and dst in NP_DTYPE:
        for x, y in zip(xs, out):
            defined = True
            if src in FLOATS and dst in INTS:
                defined = math.isfinite(x) and IMIN[dst] <= math.trunc(x) <= IMAX[dst]
            if defined:
                got = float(np.array([x], dtype=NP_DTYPE[src]).astype(NP_DTYPE[dst])[0])
                assert (math.isnan(got) and math.isnan(y)) or struct.pack(">d", got) == struct.pack(">d", y), (name, x, got, y)
    add_case(name, {"kind": "cast", "to": dst}, src, [([len(xs)], xs)], ([len(xs)], out))


def cast_cases():
    for src in FLOATS + INTS:
        for dst in FLOATS + INTS:
            if src == dst:
                continue
            if src in FLOATS:
                xs = specials(src) + randf15(src, 8, -3, 3)
                if dst in INTS:
                    # Finite values in range, plus the extremes the language defines (truncate, wrap; NaN -> 0).
                    xs = [x for x in xs if not math.isfinite(x) or abs(x) < 30000] + [-2.75, 2.5, -0.5]
            else:
                xs = int_specials(src) + randi(src, 6, 1000)
            cast_case(f"cast {src} to {dst}", src, dst, xs)
    # Round to nearest even and overflow, as NumPy's astype.
    cast_case("cast f32 to f16 ties to even and overflow", "f32", "f16",
              rnds("f32", [2049.0, 2051.0, 2050.0, 65504.0, 65519.0, 65520.0, -65520.0, 1e6, 1e-8, 2.0 ** -25,
                           3 * 2.0 ** -26, 0.1, 1 / 3, -0.0]))
    cast_case("cast i32 to f16 rounds and overflows", "i32", "f16", [2049.0, 2051.0, 65504.0, 65519.0, 65520.0, 70000.0, -70000.0])
    cast_case("cast f32 to i32 truncates toward zero", "f32", "i32", rnds("f32", [2.9, -2.9, 0.5, -0.5, 123456.75, -0.0]))
    cast_case("cast i32 to i16 wraps", "i32", "i16", [32768.0, -32769.0, 65535.0, 100000.0])


def movement15_case(name, op, dtype, inputs, result):
    add_case(name, op, dtype, [(list(a.shape), [float(v) for v in a.ravel()]) for a in inputs],
             (list(result.shape), [float(v) for v in result.ravel()]))


def shifted(x, k, d):
    """shift(x, k, dim=d): r[i] = x[i - k] along d, 0 where i - k is outside (NumPy: roll, then zero the wrap)."""
    r = np.zeros_like(x)
    n = x.shape[d]
    if abs(k) < n:
        src = [slice(None)] * x.ndim
        dst = [slice(None)] * x.ndim
        if k >= 0:
            src[d], dst[d] = slice(0, n - k), slice(k, n)
        else:
            src[d], dst[d] = slice(-k, n), slice(0, n + k)
        r[tuple(dst)] = x[tuple(src)]
    assert k == 0 or abs(k) >= n or np.array_equal(
        np.where(np.isnan(r), 0, r).take(range(max(k, 0), n + min(k, 0)), axis=d),
        np.where(np.isnan(np.roll(x, k, axis=d)), 0, np.roll(x, k, axis=d)).take(range(max(k, 0), n + min(k, 0)), axis=d))
    return r


def movement15_cases():
    for dtype in FLOATS + INTS:
        if dtype in FLOATS:
            v = np.array(specials(dtype) + randf15(dtype, 12), dtype=np.float64)
        else:
            v = np.array(int_specials(dtype) + randi(dtype, 12, 1000), dtype=np.float64)
        x1, x2 = v[:10], v[:24].reshape(4, 6)
        # slice: ranges resolved (negative bounds already counted from the end), dims in "drop" left out.
        def slc(name, x, ranges, drop=()):
            idx = tuple(r[0] if d in drop else slice(r[0], r[1]) for d, r in enumerate(ranges))
            movement15_case(f"slice {dtype} {name}", {"kind": "slice", "starts": [r[0] for r in ranges],
                                                      "stops": [r[1] for r in ranges], "drop": list(drop)},
                            dtype, [x], np.asarray(x[idx]))
        slc("[10][1:-1]", x1, [(1, 9)])
        slc("[4,6][:, 0:2]", x2, [(0, 4), (0, 2)])
        slc("[4,6][1:3, 2:]", x2, [(1, 3), (2, 6)])
        slc("[4,6][2]", x2, [(2, 3), (0, 6)], drop=[0])
        slc("[4,6][:, -1]", x2, [(0, 4), (5, 6)], drop=[1])
        slc("[10][3] is a scalar", x1, [(3, 4)], drop=[0])
        a, b, c = x2, v[24:36].reshape(2, 6) if len(v) >= 36 else v[:12].reshape(2, 6), v[:8].reshape(4, 2)
        movement15_case(f"concat {dtype} dim 0", {"kind": "concat", "dim": 0}, dtype, [a, b], np.concatenate([a, b], axis=0))
        movement15_case(f"concat {dtype} dim -1 three tensors", {"kind": "concat", "dim": -1}, dtype, [a, c, a],
                        np.concatenate([a, c, a], axis=-1))
        movement15_case(f"concat {dtype} 1-D", {"kind": "concat", "dim": 0}, dtype, [x1, x1[:3]], np.concatenate([x1, x1[:3]]))
        for k, d, x in [(1, 0, x1), (-2, 0, x1), (10, 0, x1), (-12, 0, x1), (0, 0, x1), (1, 1, x2), (-1, -1, x2), (3, 0, x2)]:
            movement15_case(f"shift {dtype} {list(x.shape)} by {k} dim {d}", {"kind": "shift", "by": k, "dim": d}, dtype, [x],
                            shifted(x, k, d if d >= 0 else x.ndim + d))


def error15_cases():
    def err(name, op, dtype, inputs, stage, contains):
        add_case(name, op, dtype, inputs, error={"stage": stage, "contains": contains})
    err("concat dtypes must match shapes", {"kind": "concat", "dim": 0}, "f32", [([2, 3], [0.0] * 6), ([2, 4], [0.0] * 8)],
        "type", "sizes must match except in dim 0")
    err("slice beyond the dim", {"kind": "slice", "starts": [0], "stops": [5], "drop": []}, "f32", [([4], [0.0] * 4)],
        "type", "is outside dim 0")
    err("slice empty", {"kind": "slice", "starts": [2], "stops": [2], "drop": []}, "f32", [([4], [0.0] * 4)], "type", "is empty")
    err("shift dim out of range", {"kind": "shift", "by": 1, "dim": 1}, "f32", [([4], [0.0] * 4)], "type", "dim 1 is out of range")


# ---------------------------------------------------------------------------------------------
# NormalGenerator
# ---------------------------------------------------------------------------------------------

M64 = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class NormalGenerator:
    """xoshiro256** seeded by SplitMix64; Box-Muller, cos branch then sin branch (NormalGenerator.swift)."""

    def __init__(self, seed):
        x = seed & M64
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            s.append(z ^ (z >> 31))
        self.s = s
        self.spare = None

    def next_bits(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_uniform(self):
        return float((self.next_bits() >> 11) + 1) * 2.0 ** -53

    def next(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        u1 = self.next_uniform()
        u2 = self.next_uniform()
        r = math.sqrt(-2.0 * math.log(u1))
        theta = 2.0 * math.pi * u2
        self.spare = r * math.sin(theta)
        return r * math.cos(theta)


def randn_golden():
    seeds = []
    for seed in [0, 1, 7, 42, 2 ** 64 - 1]:
        g = NormalGenerator(seed)
        bits = [format(g.next_bits(), "016x") for _ in range(4)]
        g = NormalGenerator(seed)
        normals = [g.next() for _ in range(12)]
        seeds.append({"seed": str(seed), "bits": bits, "normals": hxs(normals)})
    return {"comment": "NormalGenerator(seed:): first nextBits() values (hex) of a fresh generator, and the first "
                       "next() values of another fresh one (float64 bit patterns); compared exactly",
            "seeds": seeds}


# ---------------------------------------------------------------------------------------------
# DType.round
# ---------------------------------------------------------------------------------------------

def round_golden():
    out = {}
    common = [0.0, -0.0, 1.0, -1.0, 0.1, -0.1, 1 / 3, math.pi, 1e10, -1e10, math.inf, -math.inf, math.nan,
              2.5, -2.5, 3.5, 0.5, -0.5, 1e-300, -1e-300, 1e300]
    per = {
        "f32": [1 + 2.0 ** -24, 1 + 3 * 2.0 ** -24, 1 + 2.0 ** -24 + 2.0 ** -60, 2.0 ** -149, 2.0 ** -150,
                3 * 2.0 ** -151, 2.0 ** -151, 3.4028235677973366e38, 3.4028235677973367e38, 3.5e38,
                16777217.0, 16777219.0],
        "f16": [1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11,
                1 + 2.0 ** -11 + 2.0 ** -40,  # above the f16 tie, but f32 drops 2^-40: via f32 it ties to 1
                65504.0, 65519.0, 65520.0, 1e5, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26, 2.0 ** -14, 2049.0, 2051.0],
        "bf16": [1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 257.0, 259.0, 2.0 ** -133, 2.0 ** -134, 1e38, 3.3961e38,
                 3.4e38, 1 + 2.0 ** -8 + 2.0 ** -30],
        "i32": [2.7, -2.7, 2.0 ** 31, -(2.0 ** 31) - 1, 2.0 ** 32 + 5, 4294967295.0, 2147483647.9, -0.9, 1e10],
        "i16": [32767.0, 32768.0, -32769.0, 65535.0, 70000.0, -70000.9, 2.0 ** 40 + 3, -0.9],
    }
    huge = [1e300, -1e300, math.inf, -math.inf]   # integers saturate these (DType.toInt64): not pinned here
    for dtype in FLOATS + INTS:
        xs = (common if dtype in FLOATS else [x for x in common if x not in huge]) + per[dtype]
        out[dtype] = [[hx(x), hx(rnd(dtype, x))] for x in xs]
    return {"comment": "pairs [input, DType.round(input)] as float64 bit patterns", "cases": out}


# ---------------------------------------------------------------------------------------------
# .npy files
# ---------------------------------------------------------------------------------------------

def npy_files():
    files = []  # (file name, array, expected dict or refusal)
    f32 = np.array([[1.5, -2.25, np.nan], [np.inf, -0.0, 2.0 ** -149]], dtype="<f4")
    f16 = np.array([65504.0, -0.0, 2.0 ** -24, -np.inf, 0.1], dtype="<f2")
    i32 = np.array([[-(2 ** 31), 2 ** 31 - 1], [0, -7]], dtype="<i4")
    i16 = np.array([-32768, 32767, 12], dtype="<i2")
    fortran = np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4) * np.float32(0.5) - np.float32(3))
    big_f32 = np.array([1.0, -2.5, np.inf, 3.0e38, 1e-45], dtype=">f4")
    big_i16 = np.array([[1, -2], [256, -32768]], dtype=">i2")
    scalar = np.array(7.25, dtype="<f4")
    f64 = np.array([1.0, 2.0], dtype="<f8")
    i64 = np.array([1, 2], dtype="<i8")

    def expected(arr, dtype):
        flat = np.ascontiguousarray(arr).astype(np.float64).ravel()   # logical C order
        return {"dtype": dtype, "shape": list(arr.shape), "data": hxs(flat)}

    entries = []
    for name, arr, dtype in [("f32-2x3.npy", f32, "f32"), ("f16-5.npy", f16, "f16"), ("i32-2x2.npy", i32, "i32"),
                             ("i16-3.npy", i16, "i16"), ("fortran-f32-2x3x4.npy", fortran, "f32"),
                             ("bigendian-f32-5.npy", big_f32, "f32"), ("bigendian-i16-2x2.npy", big_i16, "i16"),
                             ("scalar-f32.npy", scalar, "f32")]:
        buf = io.BytesIO()
        np.save(buf, arr)
        files.append((name, buf.getvalue()))
        entries.append(dict(file=name, **expected(arr, dtype)))
    # A format 2.0 file (4-byte header length).
    buf = io.BytesIO()
    v2 = np.array([3, -4, 5], dtype="<i4")
    np.lib.format.write_array(buf, v2, version=(2, 0))
    files.append(("v2-i32-3.npy", buf.getvalue()))
    entries.append(dict(file="v2-i32-3.npy", **expected(v2, "i32")))
    refused = []
    for name, arr, contains in [("f64-2.npy", f64, "float64"), ("i64-2.npy", i64, "int64")]:
        buf = io.BytesIO()
        np.save(buf, arr)
        files.append((name, buf.getvalue()))
        refused.append({"file": name, "contains": contains})
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
    return files, {"comment": "decoded values in logical C order (float64 bit patterns)", "files": entries,
                   "refused": refused}


# ---------------------------------------------------------------------------------------------

def write_json(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    unary_cases()
    binary_cases()
    scalar_cases()
    reduction_cases()
    matmul_cases()
    movement_cases()
    constructor_cases()
    error_cases()
    cast_cases()
    movement15_cases()
    error15_cases()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    write_json("evaluator.json", {"generator": "scripts/make-golden-vectors.py", "numpy": np.__version__,
                                  "cases": CASES})
    write_json("dtype-round.json", round_golden())
    write_json("randn.json", randn_golden())
    files, expected = npy_files()
    for name, data in files:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    write_json("npy-expected.json", expected)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(CASES)} evaluator cases, {len(files)} .npy files to {os.path.relpath(OUT, ROOT)} "
          f"({total} bytes)")


if __name__ == "__main__":
    main()
