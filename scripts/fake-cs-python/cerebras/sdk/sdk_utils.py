import numpy as np
def input_array_to_u32(np_arr, sentinel, fast_dim_sz):
    return np.asarray(np_arr).view(np.uint16).astype(np.uint32)
def memcpy_view(words, dtype):
    return np.asarray(words).astype(np.uint16).view(dtype)
