#!/usr/bin/python3
"""Builds the tiny Piper graphs the tests run, and their .onnx.json configs.

Each graph has Piper's exact inputs and outputs (input int64 [1,N], input_lengths int64 [1], scales float32 [3],
sid int64 [1] for the multi-speaker one; output float32 [1,1,T] or [1,1,1,T]) and an output that reveals its inputs:

    output = [noise_scale/10, length_scale/10, noise_w/10, input_lengths/1000, (sid/100)] ++ each id/1000, R times

where R = ceil(4 * length_scale), so the audio's length follows length_scale (and the request's speed).

en_US-timed-medium also has the optional w_ceil output (one 256-sample frame per id), for word timings.

Needs Debian's python3-onnx (1.12): /usr/bin/python3 tests/models/piper/generate.py
"""
import json
import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))

# piper-phonemize's DEFAULT_PHONEME_ID_MAP (src/phoneme_ids.hpp, non-Windows), in id order from 0.
DEFAULT_PHONEMES = (
    ["_", "^", "$", " ", "!", "'", "(", ")", ",", "-", ".", ":", ";", "?"]
    + list("abcdefhijklmnopqrstuvwxyz")
    + list("æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ")
    + list("0123456789")
    + ["\u0327", "\u0303", "\u032a", "\u032f", "\u0329", "ʰ", "ˤ", "ε", "↓", "#", '"', "↑", "\u033a", "\u033b", "g", "ʦ", "X",
       "\u031d", "\u030a"]
)
assert len(DEFAULT_PHONEMES) == 159, len(DEFAULT_PHONEMES)
PHONEME_ID_MAP = {p: [i] for i, p in enumerate(DEFAULT_PHONEMES)}


def const(name, values, dtype=TensorProto.INT64, dims=None):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_v", dtype, dims or [len(values)], values))


def reveal_graph(multi_speaker, output_rank, input_names=("input", "input_lengths", "scales")):
    ids_name, lengths_name, scales_name = input_names
    nodes = [
        const("thousand", [1000.0], TensorProto.FLOAT, []),
        const("ten", [10.0], TensorProto.FLOAT, []),
        const("four", [4.0], TensorProto.FLOAT, []),
        const("one_index", [1], TensorProto.INT64, []),
        const("axis2", [2]),
        const("ones2", [1, 1]),
        const("flat", [1, 1, -1]),
        const("shape1", [1]),
        # body: each id / 1000, repeated R = ceil(4 * length_scale) times
        helper.make_node("Cast", [ids_name], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["ids_f", "thousand"], ["ids_scaled"]),
        helper.make_node("Unsqueeze", ["ids_scaled", "axis2"], ["ids_3d"]),
        helper.make_node("Gather", [scales_name, "one_index"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["length_scale", "four"], ["r_f"]),
        helper.make_node("Ceil", ["r_f"], ["r_ceil"]),
        helper.make_node("Cast", ["r_ceil"], ["r_i"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["r_i", "shape1"], ["r"]),
        helper.make_node("Concat", ["ones2", "r"], ["repeats"], axis=0),
        helper.make_node("Tile", ["ids_3d", "repeats"], ["tiled"]),
        helper.make_node("Reshape", ["tiled", "flat"], ["body"]),
        # header: the scales / 10, input_lengths / 1000 and sid / 100
        helper.make_node("Div", [scales_name, "ten"], ["scales_scaled"]),
        helper.make_node("Cast", [lengths_name], ["lengths_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["lengths_f", "thousand"], ["lengths_scaled"]),
    ]
    header = ["scales_scaled", "lengths_scaled"]
    inputs = [
        helper.make_tensor_value_info(ids_name, TensorProto.INT64, [1, "N"]),
        helper.make_tensor_value_info(lengths_name, TensorProto.INT64, [1]),
        helper.make_tensor_value_info(scales_name, TensorProto.FLOAT, [3]),
    ]
    if multi_speaker:
        nodes += [
            const("hundred", [100.0], TensorProto.FLOAT, []),
            helper.make_node("Cast", ["sid"], ["sid_f"], to=TensorProto.FLOAT),
            helper.make_node("Div", ["sid_f", "hundred"], ["sid_scaled"]),
        ]
        header.append("sid_scaled")
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
    nodes += [
        helper.make_node("Concat", header, ["header_flat"], axis=0),
        helper.make_node("Reshape", ["header_flat", "flat"], ["header"]),
    ]
    if output_rank == 3:
        nodes.append(helper.make_node("Concat", ["header", "body"], ["output"], axis=2))
        out_shape = [1, 1, "T"]
    else:
        nodes += [
            helper.make_node("Concat", ["header", "body"], ["output3"], axis=2),
            const("axis1", [1]),
            helper.make_node("Unsqueeze", ["output3", "axis1"], ["output"]),
        ]
        out_shape = [1, 1, 1, "T"]
    graph = helper.make_graph(nodes, "piper_reveal", inputs, [helper.make_tensor_value_info("output", TensorProto.FLOAT, out_shape)])
    model = helper.make_model(graph, producer_name="callwaiting-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def timed_graph():
    """Piper's inputs, and both outputs: each id / 1000 for one 256-sample frame, and w_ceil [1,1,N] = 1 frame per id."""
    nodes = [
        const("thousand", [1000.0], TensorProto.FLOAT, []),
        const("axis1", [1]),
        const("axis2", [2]),
        const("hop", [1, 1, 256]),
        const("flat", [1, 1, -1]),
        helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["ids_f", "thousand"], ["ids_scaled"]),
        helper.make_node("Unsqueeze", ["ids_scaled", "axis2"], ["ids_3d"]),
        helper.make_node("Tile", ["ids_3d", "hop"], ["tiled"]),
        helper.make_node("Reshape", ["tiled", "flat"], ["output"]),
        const("zero", [0.0], TensorProto.FLOAT, []),
        const("one", [1.0], TensorProto.FLOAT, []),
        helper.make_node("Mul", ["ids_f", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "one"], ["ones"]),
        helper.make_node("Unsqueeze", ["ones", "axis1"], ["w_ceil"]),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "N"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    outputs = [
        helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "T"]),
        helper.make_tensor_value_info("w_ceil", TensorProto.FLOAT, [1, 1, "N"]),
    ]
    model = helper.make_model(helper.make_graph(nodes, "piper_timed", inputs, outputs), producer_name="callwaiting-tests",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def bench_graph(layers=8, width=256):
    """A graph of realistic cost for benchmarks: ceil(4 × length_scale) frames of 256 samples per id, each frame through
    eight 256×256 MatMuls (about 45 million multiply-adds per output second at 22050 Hz). Its weights are made by
    ConstantOfShape, so the file stays small."""
    nodes = [
        const("thousand", [1000.0], TensorProto.FLOAT, []),
        const("four", [4.0], TensorProto.FLOAT, []),
        const("one_index", [1], TensorProto.INT64, []),
        const("axis2", [2]),
        const("shape1", [1]),
        const("ones2", [1, 1]),
        const("frames", [1, -1, width]),
        const("flat", [1, 1, -1]),
        const("weight_shape", [width, width]),
        helper.make_node("ConstantOfShape", ["weight_shape"], ["weight"],
                         value=helper.make_tensor("w", TensorProto.FLOAT, [1], [1.0 / width])),
        helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["ids_f", "thousand"], ["ids_scaled"]),
        helper.make_node("Unsqueeze", ["ids_scaled", "axis2"], ["ids_3d"]),
        helper.make_node("Gather", ["scales", "one_index"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["length_scale", "four"], ["r_f"]),
        helper.make_node("Ceil", ["r_f"], ["r_ceil"]),
        helper.make_node("Cast", ["r_ceil"], ["r_i"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["r_i", "shape1"], ["r"]),
        const("hop", [width]),
        helper.make_node("Mul", ["r", "hop"], ["samples_per_id"]),
        helper.make_node("Concat", ["ones2", "samples_per_id"], ["repeats"], axis=0),
        helper.make_node("Tile", ["ids_3d", "repeats"], ["tiled"]),
        helper.make_node("Reshape", ["tiled", "frames"], ["x0"]),
    ]
    for i in range(layers):
        nodes.append(helper.make_node("MatMul", [f"x{i}", "weight"], [f"x{i + 1}"]))
    nodes.append(helper.make_node("Reshape", [f"x{layers}", "flat"], ["output"]))
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "N"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    model = helper.make_model(helper.make_graph(nodes, "piper_bench", inputs, [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "T"])]),
                              producer_name="callwaiting-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def config(dataset, quality, language, speakers=None):
    family, region = language.split("_")
    value = {
        "audio": {"sample_rate": 22050, "quality": quality},
        "espeak": {"voice": f"{family}-{region.lower()}" if family == "en" else family},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": PHONEME_ID_MAP,
        "num_symbols": 256,
        "num_speakers": len(speakers) if speakers else 1,
        "speaker_id_map": {name: i for i, name in enumerate(speakers)} if speakers else {},
        "piper_version": "1.0.0",
        "language": {"code": language, "family": family, "region": region},
        "dataset": dataset,
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def write(stem, model, config_text=None):
    onnx.save(model, os.path.join(HERE, stem + ".onnx"))
    if config_text is not None:
        with open(os.path.join(HERE, stem + ".onnx.json"), "w", encoding="utf-8") as f:
            f.write(config_text)


write("en_US-reveal-medium", reveal_graph(False, 3), config("reveal", "medium", "en_US"))
write("en_GB-chorus-low", reveal_graph(True, 4), config("chorus", "low", "en_GB", ["alice", "bob", "carol"]))
write("en_US-timed-medium", timed_graph(), config("timed", "medium", "en_US"))
write("en_US-bench-medium", bench_graph(), config("bench", "medium", "en_US"))
# Same shapes, other names (Kokoro-style "tokens"): a graph the loader must refuse.
write("mismatch", reveal_graph(False, 3, ("tokens", "input_lengths", "scales")))
