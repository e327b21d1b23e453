#!/usr/bin/python3
"""Builds the tiny Kokoro graphs the tests run, a config.json with Kokoro's vocabulary and a voices.npz pack.

One graph per published export, with its exact input names and types:

    kokoro-v0_19.onnx      tokens int64 [1,N], style float32 [1,256], speed float32 [1] -> audio [T]
    kokoro-community.onnx  input_ids int64 [1,N], style float32 [1,256], speed float32 [1] -> waveform [1,T]
    kokoro-hexgrad.onnx    input_ids int64 [1,N], style float32 [1,256], speed int32 [1] -> waveform [T]
    kokoro-mismatch.onnx   phonemes instead of input_ids: a graph the loader must refuse
    kokoro-timed.onnx      input_ids int64 [1,N], style float32 [1,256], speed int32 [1] -> waveform [T], duration int64 [N]

and an output that reveals its inputs:

    output = [speed/10, N/1000, style[0], style[1]] ++ each token id/1000, R times, R = ceil(4 / speed)

kokoro-timed.onnx also gives each token's duration in 600-sample frames, as hexgrad's export with durations does:
duration = (id mod 4) + 1, uneven on purpose, so that word times read from it differ from an even split; its body
repeats each id 600 * ceil(4 / speed) samples, so the audio is long enough for every duration.

voices.npz (numpy's savez_compressed, a few KB) holds af_test and bm_test, each [510,1,256] float32 whose row r is
[r/1000, voice marker (0.01 for af_test, 0.02 for bm_test), 0, ...], so style[0] tells the row used.

Needs Debian's python3-onnx and python3-numpy: /usr/bin/python3 tests/models/kokoro/generate.py
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))

# Kokoro's vocabulary, as in hexgrad/Kokoro-82M's config.json.
VOCAB = {
    ";": 1, ":": 2, ",": 3, ".": 4, "!": 5, "?": 6, "—": 9, "…": 10, "\"": 11, "(": 12, ")": 13, "“": 14, "”": 15, " ": 16,
    "\u0303": 17, "ʣ": 18, "ʥ": 19, "ʦ": 20, "ʨ": 21, "ᵝ": 22, "ꭧ": 23, "A": 24, "I": 25, "O": 31, "Q": 33, "S": 35, "T": 36,
    "W": 39, "Y": 41, "ᵊ": 42, "a": 43, "b": 44, "c": 45, "d": 46, "e": 47, "f": 48, "h": 50, "i": 51, "j": 52, "k": 53,
    "l": 54, "m": 55, "n": 56, "o": 57, "p": 58, "q": 59, "r": 60, "s": 61, "t": 62, "u": 63, "v": 64, "w": 65, "x": 66,
    "y": 67, "z": 68, "ɑ": 69, "ɐ": 70, "ɒ": 71, "æ": 72, "β": 75, "ɔ": 76, "ɕ": 77, "ç": 78, "ɖ": 80, "ð": 81, "ʤ": 82,
    "ə": 83, "ɚ": 85, "ɛ": 86, "ɜ": 87, "ɟ": 90, "ɡ": 92, "ɥ": 99, "ɨ": 101, "ɪ": 102, "ʝ": 103, "ɯ": 110, "ɰ": 111,
    "ŋ": 112, "ɳ": 113, "ɲ": 114, "ɴ": 115, "ø": 116, "ɸ": 118, "θ": 119, "œ": 120, "ɹ": 123, "ɾ": 125, "ɻ": 126,
    "ʁ": 128, "ɽ": 129, "ʂ": 130, "ʃ": 131, "ʈ": 132, "ʧ": 133, "ʊ": 135, "ʋ": 136, "ʌ": 138, "ɣ": 139, "ɤ": 140,
    "χ": 142, "ʎ": 143, "ʒ": 147, "ʔ": 148, "ˈ": 156, "ˌ": 157, "ː": 158, "ʰ": 162, "ʲ": 164, "↓": 169, "→": 171,
    "↗": 172, "↘": 173, "ᵻ": 177,
}

VOICES = {"af_test": 0.01, "bm_test": 0.02}


def const(name, values, dtype=TensorProto.INT64, dims=None):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_v", dtype, dims if dims is not None else [len(values)], values))


def reveal_graph(ids_name, speed_type, output_name, output_rank, durations=False):
    nodes = [
        const("thousand", [1000.0], TensorProto.FLOAT, []),
        const("ten", [10.0], TensorProto.FLOAT, []),
        const("four", [4.0], TensorProto.FLOAT, []),
        const("one_index", [1], TensorProto.INT64, []),
        const("axis2", [2]),
        const("ones2", [1, 1]),
        const("flat", [-1]),
        const("shape1", [1]),
        const("starts", [0, 0]),
        const("ends", [1, 2]),
        const("axes", [0, 1]),
        helper.make_node("Cast", ["speed"], ["speed_f"], to=TensorProto.FLOAT),
        # header: speed / 10, N / 1000, the style row's first two values
        helper.make_node("Div", ["speed_f", "ten"], ["speed_scaled"]),
        helper.make_node("Shape", [ids_name], ["ids_shape"]),
        helper.make_node("Gather", ["ids_shape", "one_index"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["n_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["n_f", "thousand"], ["n_scaled0"]),
        helper.make_node("Reshape", ["n_scaled0", "shape1"], ["n_scaled"]),
        helper.make_node("Slice", ["style", "starts", "ends", "axes"], ["style2d"]),
        helper.make_node("Reshape", ["style2d", "flat"], ["style2"]),
        helper.make_node("Concat", ["speed_scaled", "n_scaled", "style2"], ["header"], axis=0),
        # body: each id / 1000, repeated R = ceil(4 / speed) times
        helper.make_node("Cast", [ids_name], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["ids_f", "thousand"], ["ids_scaled"]),
        helper.make_node("Unsqueeze", ["ids_scaled", "axis2"], ["ids_3d"]),
        helper.make_node("Div", ["four", "speed_f"], ["r_f"]),
        helper.make_node("Ceil", ["r_f"], ["r_ceil"]),
        helper.make_node("Cast", ["r_frames" if durations else "r_ceil"], ["r"], to=TensorProto.INT64),
        helper.make_node("Concat", ["ones2", "r"], ["repeats"], axis=0),
        helper.make_node("Tile", ["ids_3d", "repeats"], ["tiled"]),
        helper.make_node("Reshape", ["tiled", "flat"], ["body"]),
    ]
    if durations:
        # Runs of 600 samples per frame: insert the scaling before the Cast that makes r.
        cast = next(i for i, n in enumerate(nodes) if n.output == ["r"])
        nodes[cast:cast] = [const("frame", [600.0], TensorProto.FLOAT, []), helper.make_node("Mul", ["r_ceil", "frame"], ["r_frames"])]
    if output_rank == 1:
        nodes.append(helper.make_node("Concat", ["header", "body"], [output_name], axis=0))
        out_shape = ["T"]
    else:
        nodes += [
            helper.make_node("Concat", ["header", "body"], ["out1"], axis=0),
            const("row", [1, -1]),
            helper.make_node("Reshape", ["out1", "row"], [output_name]),
        ]
        out_shape = [1, "T"]
    inputs = [
        helper.make_tensor_value_info(ids_name, TensorProto.INT64, [1, "N"]),
        helper.make_tensor_value_info("style", TensorProto.FLOAT, [1, 256]),
        helper.make_tensor_value_info("speed", speed_type, [1]),
    ]
    outputs = [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, out_shape)]
    if durations:
        nodes += [
            const("four_i", [4], TensorProto.INT64, []),
            const("one_i", [1], TensorProto.INT64, []),
            helper.make_node("Reshape", [ids_name, "flat"], ["ids_flat"]),
            helper.make_node("Mod", ["ids_flat", "four_i"], ["ids_mod"]),
            helper.make_node("Add", ["ids_mod", "one_i"], ["duration"]),
        ]
        outputs.append(helper.make_tensor_value_info("duration", TensorProto.INT64, ["N"]))
    graph = helper.make_graph(nodes, "kokoro_reveal", inputs, outputs)
    model = helper.make_model(graph, producer_name="callwaiting-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def voice_pack(marker):
    pack = np.zeros((510, 1, 256), dtype="<f4")
    pack[:, 0, 0] = np.arange(510, dtype="<f4") / 1000
    pack[:, 0, 1] = marker
    return pack


onnx.save(reveal_graph("tokens", TensorProto.FLOAT, "audio", 1), os.path.join(HERE, "kokoro-v0_19.onnx"))
onnx.save(reveal_graph("input_ids", TensorProto.FLOAT, "waveform", 2), os.path.join(HERE, "kokoro-community.onnx"))
onnx.save(reveal_graph("input_ids", TensorProto.INT32, "waveform", 1), os.path.join(HERE, "kokoro-hexgrad.onnx"))
onnx.save(reveal_graph("input_ids", TensorProto.INT32, "waveform", 1, durations=True), os.path.join(HERE, "kokoro-timed.onnx"))
onnx.save(reveal_graph("phonemes", TensorProto.FLOAT, "waveform", 2), os.path.join(HERE, "kokoro-mismatch.onnx"))
with open(os.path.join(HERE, "config.json"), "w", encoding="utf-8") as f:
    f.write(json.dumps({"n_token": 178, "vocab": VOCAB}, ensure_ascii=False, indent=2) + "\n")
np.savez_compressed(os.path.join(HERE, "voices.npz"), **{name: voice_pack(marker) for name, marker in VOICES.items()})
