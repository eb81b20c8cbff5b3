"""QDQ (QuantizeLinear / DequantizeLinear) int8 rewrite of a float ONNX UNet, with the `onnx` package only.

The layout follows what ONNX Runtime's CPU execution provider fuses into integer kernels:

* Conv: DQ(activation u8) + DQ(weight s8, per output channel, symmetric) + DQ(bias s32, scale
  x_scale * w_scale[c]) -> Conv -> Q(u8). ORT turns the group into QLinearConv (U8S8, the VNNI / AMX
  path of MLAS). A Relu right after a Conv is dropped: its output range [0, hi] gets zero point 0, so
  the QuantizeLinear's clamp at 0 *is* the Relu (exact, and what ORT's own quantizer does).
* MaxPool: DQ -> MaxPool -> Q with the input's scale and zero point: ORT drops the pair and pools u8.
* ConvTranspose and Concat: DQ inputs, Q output; ORT fuses what its CPU provider has kernels for and
  runs the rest in float between the DQ and the Q (the profile tells which: calibrate.mjs --profile).
* Channel padding (`pad_channels`, 16 by default): MLAS's fast symmetric int8 convolution (the
  indirect "ConvSym" kernels, VNNI / AMX) needs at least 16 output channels and input channels in
  multiples of 4; with fewer it falls back to im2col + a GEMM that is slower than the float conv. The
  full-resolution 8-channel convs therefore get zero weight rows up to 16 outputs (their extra
  channels are exactly 0, the zero point) and their consumers zero weight columns for them: the same
  numbers, on the fast kernel.
* The logits Conv: float output by default (the app's softmax, entropy and order repair read the
  logits); `quantize_logits` puts a Q/DQ pair on it too, so that Conv also becomes a QLinearConv.

Activations are per tensor (uint8, asymmetric where the tensor has negatives), from the calibrated
ranges that ranges.py computes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

U8 = (0, 255)


@dataclass(frozen=True)
class QParams:
    scale: float
    zero_point: int


def activation_qparams(lo: float, hi: float) -> QParams:
    """uint8 asymmetric parameters covering [lo, hi] (always including 0, so zero padding is exact)."""
    lo, hi = min(0.0, float(lo)), max(0.0, float(hi))
    if hi - lo < 1e-12:
        hi = lo + 1e-6
    scale = (hi - lo) / (U8[1] - U8[0])
    zp = int(np.clip(round(U8[0] - lo / scale), *U8))
    return QParams(np.float32(scale).item(), zp)


def weight_quant(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel symmetric int8 along `axis` (range [-127, 127], zero point 0): (q, scales)."""
    moved = np.moveaxis(w, axis, 0).reshape(w.shape[axis], -1)
    amax = np.abs(moved).max(axis=1)
    scales = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scales.reshape(shape)), -127, 127).astype(np.int8)
    return q, scales


def _consumers(graph: onnx.GraphProto) -> dict[str, list[onnx.NodeProto]]:
    out: dict[str, list[onnx.NodeProto]] = {}
    for n in graph.node:
        for i in n.input:
            out.setdefault(i, []).append(n)
    return out


def calibration_tensors(model: onnx.ModelProto) -> list[str]:
    """The float tensors whose ranges the QDQ graph needs: the input, each Conv's output (after its Relu
    where one follows), each ConvTranspose and Concat output. MaxPool reuses its input's parameters."""
    g = model.graph
    cons = _consumers(g)
    names = [g.input[0].name]
    for n in g.node:
        if n.op_type == 'Conv':
            nxt = cons.get(n.output[0], [])
            names.append(nxt[0].output[0] if len(nxt) == 1 and nxt[0].op_type == 'Relu' else n.output[0])
        elif n.op_type in ('ConvTranspose', 'Concat'):
            names.append(n.output[0])
    return names


def with_outputs(model: onnx.ModelProto, names: list[str]) -> onnx.ModelProto:
    """A copy of the float model that also returns `names` (for the calibration run in onnxruntime-node)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    have = {o.name for o in m.graph.output}
    for name in names:
        if name not in have:
            m.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    return m


@dataclass(frozen=True)
class Layout:
    """The channels of a tensor in the rewritten graph: `count` in all, original channel i at `at[i]`."""
    count: int
    at: tuple[int, ...]

    @staticmethod
    def plain(c: int) -> 'Layout':
        return Layout(c, tuple(range(c)))


def remap_weights(w: np.ndarray, in_axis: int, layout: Layout, out_axis: int | None = None, out_count: int | None = None) -> np.ndarray:
    """`w` with its input channels moved to `layout` (zeros elsewhere) and its output channels padded
    with zero rows up to `out_count`."""
    shape = list(w.shape)
    shape[in_axis] = layout.count
    if out_axis is not None and out_count is not None:
        shape[out_axis] = out_count
    out = np.zeros(shape, w.dtype)
    index: list = [slice(None)] * w.ndim
    index[in_axis] = list(layout.at)
    if out_axis is not None:
        index[out_axis] = slice(0, w.shape[out_axis])
    out[tuple(index)] = w
    return out


class _Builder:
    def __init__(self, model: onnx.ModelProto):
        self.inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        self.new_inits: list[onnx.TensorProto] = []
        self.nodes: list[onnx.NodeProto] = []
        self.quantized: dict[str, tuple[str, QParams]] = {}  # float tensor name -> (u8 tensor, params)
        self.layout: dict[str, Layout] = {}
        self.count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.new_inits.append(numpy_helper.from_array(value, name))
        return name

    def _uid(self, base: str) -> str:
        self.count += 1
        return f'{base}__{self.count}'

    def quantize(self, tensor: str, qp: QParams, source: str | None = None) -> None:
        """Q(source or tensor) -> the u8 version of `tensor`."""
        s = self.const(self._uid(f'{tensor}_scale'), np.array(qp.scale, np.float32))
        z = self.const(self._uid(f'{tensor}_zp'), np.array(qp.zero_point, np.uint8))
        q = f'{tensor}_q'
        self.nodes.append(helper.make_node('QuantizeLinear', [source or tensor, s, z], [q], name=self._uid(f'{tensor}_Q')))
        self.quantized[tensor] = (q, qp)

    def dequantize(self, tensor: str) -> str:
        """A fresh DQ of `tensor`'s u8 version (one per consumer, as ORT's node groups want)."""
        q, qp = self.quantized[tensor]
        s = self.const(self._uid(f'{tensor}_dscale'), np.array(qp.scale, np.float32))
        z = self.const(self._uid(f'{tensor}_dzp'), np.array(qp.zero_point, np.uint8))
        out = self._uid(f'{tensor}_dq')
        self.nodes.append(helper.make_node('DequantizeLinear', [q, s, z], [out], name=self._uid(f'{tensor}_DQ')))
        return out

    def weight(self, name: str, value: np.ndarray, axis: int) -> tuple[str, np.ndarray]:
        q, scales = weight_quant(value, axis)
        qn = self.const(f'{name}_s8', q)
        s = self.const(f'{name}_wscale', scales)
        z = self.const(f'{name}_wzp', np.zeros(scales.shape, np.int8))
        out = f'{name}_wdq'
        self.nodes.append(helper.make_node('DequantizeLinear', [qn, s, z], [out], name=f'{name}_DQ', axis=axis))
        return out, scales

    def bias(self, name: str, x_scale: float, w_scales: np.ndarray) -> str:
        scales = (np.float32(x_scale) * w_scales).astype(np.float32)
        b = np.zeros(scales.shape, np.float32)
        b[: self.inits[name].shape[0]] = self.inits[name]
        q = np.round(b / scales).astype(np.int32)
        qn = self.const(f'{name}_s32', q)
        s = self.const(f'{name}_bscale', scales)
        z = self.const(f'{name}_bzp', np.zeros(scales.shape, np.int32))
        out = f'{name}_bdq'
        self.nodes.append(helper.make_node('DequantizeLinear', [qn, s, z], [out], name=f'{name}_DQ', axis=0))
        return out

    def float_bias(self, name: str, count: int) -> str:
        b = np.zeros(count, np.float32)
        b[: self.inits[name].shape[0]] = self.inits[name]
        return self.const(f'{name}_f32', b)


def quantize_model(model: onnx.ModelProto, ranges: dict[str, tuple[float, float]], quantize_logits: bool = False,
                   quantize_conv_transpose: bool = False, conv_transpose_as_conv: bool = True, pad_channels: int = 16,
                   float_convs: frozenset[str] = frozenset()) -> onnx.ModelProto:
    """The QDQ graph of `model` (a Conv/Relu/MaxPool/ConvTranspose/Concat UNet) for the calibrated `ranges`.
    `float_convs`: names of Conv nodes to keep in float (between a DQ and a Q)."""
    g = model.graph
    cons = _consumers(g)
    b = _Builder(model)
    graph_out = {o.name for o in g.output}
    inp = g.input[0].name
    b.quantize(inp, activation_qparams(*ranges[inp]))
    b.layout[inp] = Layout.plain(1)
    dropped: set[str] = set()
    used_inits: set[str] = set()
    for n in g.node:
        if n.name in dropped:
            continue
        if n.op_type == 'Conv':
            x = n.input[0]
            nxt = cons.get(n.output[0], [])
            relu = nxt[0] if len(nxt) == 1 and nxt[0].op_type == 'Relu' else None
            out = relu.output[0] if relu else n.output[0]
            if relu:
                dropped.add(relu.name)
            float_out = out in graph_out and not quantize_logits
            w0 = b.inits[n.input[1]]
            cout = w0.shape[0]
            out_count = pad_channels if 0 < cout < pad_channels and not float_out else cout
            w = remap_weights(w0, 1, b.layout[x], 0, out_count)
            used_inits.update(n.input[1:])
            if n.name in float_convs:
                # kept float only where its input is the float graph input: ORT (>= 1.20) quantises the
                # float weights of a Conv that sits between a DQ and a Q by itself
                if x != inp:
                    raise ValueError(f'quantize: only a Conv reading the graph input can stay float ({n.name})')
                inputs = [x, b.const(f'{n.input[1]}_f32', w)]
                if len(n.input) > 2 and n.input[2]:
                    inputs.append(b.float_bias(n.input[2], out_count))
            else:
                x_scale = b.quantized[x][1].scale
                wq, w_scales = b.weight(n.input[1], w, axis=0)
                inputs = [b.dequantize(x), wq]
                if len(n.input) > 2 and n.input[2]:
                    inputs.append(b.bias(n.input[2], x_scale, w_scales))
            b.layout[out] = Layout(out_count, tuple(range(cout)))
            if float_out:
                b.nodes.append(helper.make_node('Conv', inputs, [out], name=n.name, **_attrs(n)))
                continue
            raw = f'{out}_float'
            b.nodes.append(helper.make_node('Conv', inputs, [raw], name=n.name, **_attrs(n)))
            lo, hi = ranges[out]
            b.quantize(out, activation_qparams(max(0.0, lo) if relu else lo, hi), source=raw)
            if out in graph_out:
                if out_count != cout:
                    # the padded channels of a quantised output are cut off before it leaves the graph
                    q_name, qp = b.quantized[out]
                    sliced = f'{out}_q_sliced'
                    starts = b.const(f'{out}_slice_starts', np.array([0], np.int64))
                    ends = b.const(f'{out}_slice_ends', np.array([cout], np.int64))
                    axes = b.const(f'{out}_slice_axes', np.array([1], np.int64))
                    b.nodes.append(helper.make_node('Slice', [q_name, starts, ends, axes], [sliced], name=f'{out}_Slice'))
                    b.quantized[out] = (sliced, qp)
                b.nodes.append(helper.make_node('Identity', [b.dequantize(out)], [out], name=f'{out}_out'))
        elif n.op_type == 'MaxPool':
            raw = f'{n.output[0]}_float'
            b.nodes.append(helper.make_node('MaxPool', [b.dequantize(n.input[0])], [raw], name=n.name, **_attrs(n)))
            b.quantize(n.output[0], b.quantized[n.input[0]][1], source=raw)
            b.layout[n.output[0]] = b.layout[n.input[0]]
        elif n.op_type == 'ConvTranspose' and conv_transpose_as_conv and _is_pixel_shuffle(n):
            # kernel == stride, no padding: a 1x1 Conv to Cout*k*k channels and DepthToSpace (CRD) give the
            # same numbers; the Conv then runs as QLinearConv and DepthToSpace moves uint8
            w_t = b.inits[n.input[1]]  # [Cin, Cout, k, k]
            k = w_t.shape[2]
            cin, cout = w_t.shape[0], w_t.shape[1]
            w = np.transpose(w_t, (1, 2, 3, 0)).reshape(cout * k * k, cin, 1, 1)
            w = remap_weights(w, 1, b.layout[n.input[0]])
            x_scale = b.quantized[n.input[0]][1].scale
            wq, w_scales = b.weight(n.input[1], w, axis=0)
            bias_name = n.input[2]
            b.inits[f'{bias_name}_shuffled'] = np.repeat(b.inits[bias_name], k * k).astype(np.float32)
            inputs = [b.dequantize(n.input[0]), wq, b.bias(f'{bias_name}_shuffled', x_scale, w_scales)]
            used_inits.update(n.input[1:])
            raw = f'{n.output[0]}_s2d_float'
            b.nodes.append(helper.make_node('Conv', inputs, [raw], name=n.name + '_as_conv', kernel_shape=[1, 1]))
            shuffled = f'{n.output[0]}_s2d'
            qp = activation_qparams(*ranges[n.output[0]])
            b.quantize(shuffled, qp, source=raw)
            out_raw = f'{n.output[0]}_float'
            b.nodes.append(helper.make_node('DepthToSpace', [b.dequantize(shuffled)], [out_raw], name=n.name + '_d2s', blocksize=k, mode='CRD'))
            b.quantize(n.output[0], qp, source=out_raw)
            b.layout[n.output[0]] = Layout.plain(cout)
        elif n.op_type == 'ConvTranspose':
            raw = f'{n.output[0]}_float'
            w = remap_weights(b.inits[n.input[1]], 0, b.layout[n.input[0]])
            used_inits.add(n.input[1])
            if quantize_conv_transpose:
                x_scale = b.quantized[n.input[0]][1].scale
                wq, w_scales = b.weight(n.input[1], w, axis=1)
                inputs = [b.dequantize(n.input[0]), wq, b.bias(n.input[2], x_scale, w_scales)]
                used_inits.add(n.input[2])
            else:
                inputs = [b.dequantize(n.input[0]), b.const(f'{n.input[1]}_f32', w), *n.input[2:]]
            b.layout[n.output[0]] = Layout.plain(w.shape[1])
            b.nodes.append(helper.make_node('ConvTranspose', inputs, [raw], name=n.name, **_attrs(n)))
            b.quantize(n.output[0], activation_qparams(*ranges[n.output[0]]), source=raw)
        elif n.op_type == 'Concat':
            raw = f'{n.output[0]}_float'
            b.nodes.append(helper.make_node('Concat', [b.dequantize(i) for i in n.input], [raw], name=n.name, **_attrs(n)))
            at: list[int] = []
            base = 0
            for i in n.input:
                at.extend(base + c for c in b.layout[i].at)
                base += b.layout[i].count
            b.layout[n.output[0]] = Layout(base, tuple(at))
            b.quantize(n.output[0], activation_qparams(*ranges[n.output[0]]), source=raw)
        else:
            raise ValueError(f'quantize: no rule for {n.op_type} ({n.name})')
    kept = [i for i in g.initializer if i.name not in used_inits]
    graph = helper.make_graph(b.nodes, g.name + '_qdq', list(g.input), list(g.output), kept + b.new_inits)
    out = helper.make_model(graph, opset_imports=[helper.make_opsetid('', max(13, _opset(model)))], producer_name='stratum-quantize')
    out.ir_version = model.ir_version
    onnx.checker.check_model(out)
    return out


def _is_pixel_shuffle(n: onnx.NodeProto) -> bool:
    a = _attrs(n)
    k = a.get('kernel_shape', [])
    return (len(k) == 2 and k[0] == k[1] and list(a.get('strides', [])) == list(k) and not any(a.get('pads', [0]))
            and a.get('group', 1) == 1 and not any(a.get('output_padding', [0])) and len(n.input) == 3
            and all(d == 1 for d in a.get('dilations', [1, 1])))


def _attrs(n: onnx.NodeProto) -> dict:
    return {a.name: helper.get_attribute_value(a) for a in n.attribute}


def _opset(model: onnx.ModelProto) -> int:
    return next((o.version for o in model.opset_import if o.domain in ('', 'ai.onnx')), 13)
