/**
 * Converts a TF.js graph model (the JSON topology + weights) into an ONNX model.
 *
 * Scope: the convolutional ops a Keras/TF-Hub CNN becomes after TF.js's graph optimisation
 * (fused conv + bias + relu/relu6, depthwise conv, residual adds, pooling, squeeze, and
 * elementwise input rescaling). Only the subgraph the requested output depends on is converted;
 * any other op throws an error naming the op and the node.
 *
 * Layout: TF is NHWC, ONNX Conv is NCHW. The ONNX model keeps the TF input (NHWC float) so
 * preprocessing stays identical; one Transpose after the input switches to NCHW, every 4-D tensor
 * inside is NCHW, and a 4-D output would be transposed back to NHWC. Conv weights are transposed
 * once here ([kh,kw,in,out] -> [out,in,kh,kw]). SAME padding becomes explicit pads (TF puts the odd
 * pixel at the end, i.e. ONNX SAME_UPPER), computed from the static spatial sizes we track.
 */
import type { GraphModelArtifacts, GraphNode, WeightSpec } from '../bundled-backbone.js';
import { encodeModel, GraphBuilder, type OnnxAttr } from './onnx-model.js';

/** Bump when the converter's output changes, so cached conversions are redone. */
export const CONVERTER_VERSION = 1;

export interface ConvertOptions {
  inputNode: string;
  outputNode: string;
  /** Names of the ONNX graph's input and output. */
  inputName?: string;
  outputName?: string;
}

/** An activation: its ONNX name and shape without the batch dim ([C,H,W] when 4-D, NCHW). */
interface Value {
  name: string;
  shape: number[];
}

interface Constant {
  shape: number[];
  data: Float32Array;
}

export function convertTfjsGraph(artifacts: GraphModelArtifacts, options: ConvertOptions): Uint8Array {
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'embedding';
  const byName = new Map(artifacts.modelTopology.node.map((n) => [n.name, n]));
  const order = subgraph(byName, options.outputNode);
  const weights = decodeWeights(artifacts.weightSpecs, artifacts.weightData);

  const b = new GraphBuilder();
  b.fresh(inputName); // reserve the graph's input and output names so no TF node name takes them
  b.fresh(outputName);
  const values = new Map<string, Value>();
  const consts = new Map<string, Constant>();
  let inputShape: number[] | undefined;

  const value = (node: GraphNode, i: number): Value => {
    const v = values.get(inputRef(node, i));
    if (!v) throw unsupported(node, `input ${i} is not an activation`);
    return v;
  };
  const constant = (node: GraphNode, i: number): Constant => {
    const c = consts.get(inputRef(node, i));
    if (!c) throw unsupported(node, `input ${i} is not a constant`);
    return c;
  };

  for (const node of order) {
    const attr = node.attr ?? {};
    switch (node.op) {
      case 'Placeholder': {
        if (node.name !== options.inputNode) throw unsupported(node, 'an input other than the expected one');
        const dims = (attr.shape?.shape?.dim ?? []).map((d: { size: string }) => Number(d.size));
        if (dims.length !== 4 || dims.slice(1).some((d: number) => !(d > 0))) {
          throw unsupported(node, `input shape [${dims}] (need [N,H,W,C] with static H,W,C)`);
        }
        inputShape = dims.slice(1);
        const [h, w, c] = dims.slice(1);
        const name = b.node('Transpose', [inputName], { perm: { ints: [0, 3, 1, 2] } }, 'input_nchw');
        values.set(node.name, { name, shape: [c, h, w] });
        break;
      }
      case 'Const': {
        const c = weights.get(node.name);
        if (!c) throw unsupported(node, 'a constant without weight data');
        consts.set(node.name, c);
        break;
      }
      case 'Identity':
        values.set(node.name, value(node, 0));
        break;
      case 'Mul':
      case 'Sub':
      case 'AddV2':
      case 'Add': {
        const onnxOp = { Mul: 'Mul', Sub: 'Sub', AddV2: 'Add', Add: 'Add' }[node.op]!;
        values.set(node.name, elementwise(b, node, onnxOp, [0, 1].map((i) => values.get(inputRef(node, i)) ?? constant(node, i))));
        break;
      }
      case 'Relu':
      case 'Relu6': {
        const x = value(node, 0);
        values.set(node.name, { name: activation(b, node.op, x.name, node.name), shape: x.shape });
        break;
      }
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative':
        values.set(node.name, conv(b, node, value(node, 0), constant(node, 1), (i) => constant(node, i)));
        break;
      case 'AvgPool':
      case 'MaxPool':
        values.set(node.name, pool(b, node, value(node, 0)));
        break;
      case 'Squeeze':
        values.set(node.name, squeeze(b, node, value(node, 0)));
        break;
      default:
        throw unsupported(node);
    }
  }

  if (!inputShape) throw new Error(`the output ${options.outputNode} does not depend on ${options.inputNode}`);
  let out = values.get(options.outputNode);
  if (!out) throw new Error(`the output ${options.outputNode} is a constant`);
  let outShape = out.shape;
  if (out.shape.length === 3) {
    // Give a 4-D output back in TF's NHWC layout.
    const [c, h, w] = out.shape;
    out = { name: b.node('Transpose', [out.name], { perm: { ints: [0, 2, 3, 1] } }), shape: [h, w, c] };
    outShape = out.shape;
  }
  b.nodes.push({ op: 'Identity', inputs: [out.name], outputs: [outputName], name: outputName });

  const graph = b.build(
    'tfjs-graph',
    [{ name: inputName, shape: ['batch', ...inputShape] }],
    [{ name: outputName, shape: ['batch', ...outShape] }],
  );
  return encodeModel(graph);
}

/** The nodes `output` depends on, in dependency order (inputs before users). */
function subgraph(byName: Map<string, GraphNode>, output: string): GraphNode[] {
  const order: GraphNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, from: string): void => {
    const node = byName.get(name);
    if (!node) throw new Error(`node ${name} (input of ${from}) is not in the graph`);
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`the graph has a cycle through ${name}`);
    state.set(name, 'visiting');
    for (const ref of node.input ?? []) if (!ref.startsWith('^')) visit(stripOutputIndex(ref, node), name);
    state.set(name, 'done');
    order.push(node);
  };
  visit(output, 'the requested output');
  return order;
}

/** TF input references are `name`, `name:0` (first output) or `^name` (control dependency). */
function stripOutputIndex(ref: string, node: GraphNode): string {
  const m = /^(.*):(\d+)$/.exec(ref);
  if (!m) return ref;
  if (m[2] !== '0') throw unsupported(node, `a reference to output ${m[2]} of ${m[1]}`);
  return m[1];
}

function inputRef(node: GraphNode, i: number): string {
  const inputs = (node.input ?? []).filter((r) => !r.startsWith('^'));
  if (i >= inputs.length) throw unsupported(node, `fewer than ${i + 1} inputs`);
  return stripOutputIndex(inputs[i], node);
}

function unsupported(node: GraphNode, what?: string): Error {
  return new Error(
    what
      ? `cannot convert TF.js op ${node.op} (node ${node.name}) to ONNX: ${what} is not supported`
      : `unsupported TF.js op ${node.op} (node ${node.name}): the ONNX converter does not handle it`,
  );
}

/** Dequantises the weight buffer: uint8/uint16 values are q*scale + min (as TF.js does). */
export function decodeWeights(specs: WeightSpec[], data: ArrayBuffer): Map<string, Constant> {
  const out = new Map<string, Constant>();
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, d) => a * d, 1);
    const q = spec.quantization;
    const values = new Float32Array(count);
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
      throw new Error(`weight ${spec.name} has dtype ${spec.dtype}, which the ONNX converter does not handle`);
    }
    if (q && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
      const raw = q.dtype === 'uint8' ? new Uint8Array(data, offset, count) : new Uint16Array(data.slice(offset, offset + count * 2));
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      for (let i = 0; i < count; i++) values[i] = raw[i] * scale + min;
      offset += raw.byteLength;
    } else if (q) {
      throw new Error(`weight ${spec.name} uses ${q.dtype} quantisation, which the ONNX converter does not handle`);
    } else {
      const raw = spec.dtype === 'int32' ? new Int32Array(data.slice(offset, offset + count * 4)) : new Float32Array(data.slice(offset, offset + count * 4));
      values.set(raw);
      offset += count * 4;
    }
    out.set(spec.name, { shape: spec.shape, data: values });
  }
  if (offset !== data.byteLength) throw new Error(`weight data is ${data.byteLength} bytes, the specs describe ${offset}`);
  return out;
}

function elementwise(b: GraphBuilder, node: GraphNode, op: string, operands: (Value | Constant)[]): Value {
  const acts = operands.filter((o): o is Value => 'name' in o);
  if (acts.length === 0) throw unsupported(node, 'an op on constants only');
  const shape = acts[0].shape;
  if (acts.some((a) => a.shape.join() !== shape.join())) throw unsupported(node, 'broadcasting between activations');
  const names = operands.map((o, i) => {
    if ('name' in o) return o.name;
    // A constant broadcasts against NHWC in TF: a scalar, or one value per channel (last axis).
    const n = o.data.length;
    if (n === 1) return b.constFloat(`${node.name}/c${i}`, [], o.data);
    if (o.shape.length === 1 && shape.length === 3 && n === shape[0]) return b.constFloat(`${node.name}/c${i}`, [n, 1, 1], o.data);
    if (o.shape.length === 1 && shape.length === 1 && n === shape[0]) return b.constFloat(`${node.name}/c${i}`, [n], o.data);
    throw unsupported(node, `a constant operand of shape [${o.shape}]`);
  });
  return { name: b.node(op, names, undefined, node.name), shape };
}

const clipBounds = new WeakMap<GraphBuilder, [string, string]>();

/** Relu, or Relu6 as Clip(0, 6) (opset 13 takes the bounds as inputs). */
function activation(b: GraphBuilder, op: string, x: string, name: string): string {
  if (op === 'Relu') return b.node('Relu', [x], undefined, name);
  let bounds = clipBounds.get(b);
  if (!bounds) {
    bounds = [b.constFloat('relu6_min', [], [0]), b.constFloat('relu6_max', [], [6])];
    clipBounds.set(b, bounds);
  }
  return b.node('Clip', [x, ...bounds], undefined, name);
}

const decode = (s: string | undefined): string | undefined => (s === undefined ? undefined : Buffer.from(s, 'base64').toString());
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a TF.js attribute of any op
const ints = (a: any): number[] | undefined => a?.list?.i?.map(Number);

interface Spatial {
  pads: number[]; // ONNX order: [top, left, bottom, right]
  out: [number, number];
}

/** Output size and explicit pads for TF's SAME / VALID / EXPLICIT padding of one 2-D window op. */
function spatial(node: GraphNode, [h, w]: number[], k: number[], s: number[], d: number[]): Spatial {
  const attr = node.attr ?? {};
  const padding = decode(attr.padding?.s) ?? 'VALID';
  const pads = [0, 0, 0, 0];
  const out: [number, number] = [0, 0];
  [h, w].forEach((size, i) => {
    const span = (k[i] - 1) * d[i] + 1;
    let before = 0;
    let after = 0;
    if (padding === 'SAME') {
      const o = Math.ceil(size / s[i]);
      const total = Math.max((o - 1) * s[i] + span - size, 0);
      before = Math.floor(total / 2); // the odd pixel goes after, like ONNX SAME_UPPER
      after = total - before;
    } else if (padding === 'EXPLICIT') {
      const ex = ints(attr.explicit_paddings) ?? []; // NHWC pairs [n0,n1,h0,h1,w0,w1,c0,c1]
      if (ex.length !== 8) throw unsupported(node, `explicit_paddings [${ex}]`);
      [before, after] = [ex[2 + 2 * i], ex[3 + 2 * i]];
    } else if (padding !== 'VALID') {
      throw unsupported(node, `padding ${padding}`);
    }
    pads[i] = before;
    pads[i + 2] = after;
    out[i] = Math.floor((size + before + after - span) / s[i]) + 1;
  });
  return { pads, out };
}

/** NHWC attrs [1,a,b,1] -> [a,b]; anything on the batch or channel axis is unsupported. */
function hw(node: GraphNode, key: string, fallback: number[]): number[] {
  const v = ints(node.attr?.[key]) ?? fallback;
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1) throw unsupported(node, `${key} [${v}]`);
  return [v[1], v[2]];
}

function checkNhwc(node: GraphNode): void {
  const format = decode(node.attr?.data_format?.s) ?? 'NHWC';
  if (format !== 'NHWC') throw unsupported(node, `data_format ${format}`);
}

function conv(b: GraphBuilder, node: GraphNode, x: Value, filter: Constant, constantAt: (i: number) => Constant): Value {
  checkNhwc(node);
  if (x.shape.length !== 3) throw unsupported(node, 'a non 4-D input');
  const depthwise = node.op.includes('Depthwise');
  const [kh, kw, cin, m] = filter.shape; // m = out channels, or the channel multiplier if depthwise
  const [c, h, w] = x.shape;
  if (filter.shape.length !== 4 || cin !== c) throw unsupported(node, `filter [${filter.shape}] on ${c} channels`);
  const cout = depthwise ? c * m : m;

  // TF [kh,kw,in,out] -> ONNX [out,in,kh,kw]; depthwise TF [kh,kw,C,M] -> ONNX [C*M,1,kh,kw].
  const wt = new Float32Array(filter.data.length);
  const src = filter.data;
  for (let y = 0; y < kh; y++)
    for (let xx = 0; xx < kw; xx++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < m; o++) {
          const from = ((y * kw + xx) * cin + i) * m + o;
          const to = depthwise ? ((i * m + o) * kh + y) * kw + xx : ((o * cin + i) * kh + y) * kw + xx;
          wt[to] = src[from];
        }
  const weightName = b.constFloat(`${node.name}/weights`, depthwise ? [cout, 1, kh, kw] : [cout, cin, kh, kw], wt);

  // Fused ops: optional BiasAdd (the 3rd input) then an optional Relu/Relu6.
  const fused = (node.attr?.fused_ops?.list?.s ?? []).map(decode) as string[];
  const inputs = [x.name, weightName];
  let act: string | undefined;
  for (const [i, f] of fused.entries()) {
    if (f === 'BiasAdd' && i === 0) {
      const bias = constantAt(2);
      if (bias.data.length !== cout) throw unsupported(node, `a bias of ${bias.data.length} values for ${cout} channels`);
      inputs.push(b.constFloat(`${node.name}/bias`, [cout], bias.data));
    } else if ((f === 'Relu' || f === 'Relu6') && i === fused.length - 1 && i > 0) {
      act = f;
    } else {
      throw unsupported(node, `fused ops [${fused}]`);
    }
  }

  const strides = hw(node, 'strides', [1, 1, 1, 1]);
  const dilations = hw(node, 'dilations', [1, 1, 1, 1]);
  const { pads, out } = spatial(node, [h, w], [kh, kw], strides, dilations);
  const attrs: Record<string, OnnxAttr> = {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: strides },
    dilations: { ints: dilations },
    pads: { ints: pads },
    group: { i: depthwise ? c : 1 },
  };
  let y = b.node('Conv', inputs, attrs, act ? `${node.name}/conv` : node.name);
  if (act) y = activation(b, act, y, node.name);
  return { name: y, shape: [cout, ...out] };
}

function pool(b: GraphBuilder, node: GraphNode, x: Value): Value {
  checkNhwc(node);
  if (x.shape.length !== 3) throw unsupported(node, 'a non 4-D input');
  const [c, h, w] = x.shape;
  const kernel = hw(node, 'ksize', []);
  const strides = hw(node, 'strides', [1, 1, 1, 1]);
  const { pads, out } = spatial(node, [h, w], kernel, strides, [1, 1]);
  // TF's AvgPool leaves padding out of the average: ONNX count_include_pad = 0 (its default).
  const attrs: Record<string, OnnxAttr> = { kernel_shape: { ints: kernel }, strides: { ints: strides }, pads: { ints: pads } };
  const op = node.op === 'AvgPool' ? 'AveragePool' : 'MaxPool';
  return { name: b.node(op, [x.name], attrs, node.name), shape: [c, ...out] };
}

function squeeze(b: GraphBuilder, node: GraphNode, x: Value): Value {
  if (x.shape.length !== 3) throw unsupported(node, 'a non 4-D input');
  const nhwcToNchw = [0, 2, 3, 1];
  const full = [1, ...x.shape]; // NCHW with the batch
  let axes = (ints(node.attr?.squeeze_dims) ?? []).map((a) => nhwcToNchw[a < 0 ? a + 4 : a]);
  if (axes.length === 0) axes = [1, 2, 3].filter((a) => full[a] === 1);
  if (axes.some((a) => a === 0 || full[a] !== 1)) throw unsupported(node, `squeezing axes of size != 1`);
  const shape = x.shape.filter((_, i) => !axes.includes(i + 1));
  // Squeezing H and W of [N,C,1,1] leaves [N,C], the same in either layout. Anything that would
  // leave a spatial dim and drop C would need a transpose first: refuse it.
  if (!axes.includes(2) || !axes.includes(3)) throw unsupported(node, 'squeezing other than the spatial dims');
  const axesName = b.constInt64(`${node.name}/axes`, [axes.length], axes);
  return { name: b.node('Squeeze', [x.name, axesName], undefined, node.name), shape };
}
