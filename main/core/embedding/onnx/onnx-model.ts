/**
 * An in-memory ONNX graph and its serialisation to a ModelProto, covering only the subset of
 * onnx.proto we use: float/int64 tensors (raw_data), nodes with int/float/string/ints/floats
 * attributes, and graph inputs/outputs with (possibly symbolic) shapes.
 * Field numbers are from https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
import os from 'node:os';
import { ProtoWriter } from './protobuf.js';

export type OnnxAttr =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, OnnxAttr>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: float tensor; a string dim is symbolic (e.g. "batch"). */
export interface OnnxValueInfo {
  name: string;
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

/** IR version 8 / opset 13: old enough for any onnxruntime of the last few years. */
export const IR_VERSION = 8;
export const OPSET = 13;

const FLOAT = 1;
const INT64 = 7;
const ATTR_TYPE = { f: 1, i: 2, s: 3, floats: 6, ints: 7 } as const;

export function encodeModel(graph: OnnxGraph, producer = 'likeness'): Uint8Array {
  const g = new ProtoWriter();
  for (const n of graph.nodes) g.message(1, encodeNode(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, encodeTensor(t));
  for (const v of graph.inputs) g.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) g.message(12, encodeValueInfo(v));

  const opset = new ProtoWriter().string(1, '').int(2, OPSET);
  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, producer)
    .message(7, g)
    .message(8, opset)
    .finish();
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.op);
  for (const [name, value] of Object.entries(n.attrs ?? {})) {
    const a = new ProtoWriter().string(1, name);
    if ('f' in value) a.float(2, value.f).int(20, ATTR_TYPE.f);
    else if ('i' in value) a.int(3, value.i).int(20, ATTR_TYPE.i);
    else if ('s' in value) a.string(4, value.s).int(20, ATTR_TYPE.s);
    else if ('floats' in value) a.packedFloats(7, value.floats).int(20, ATTR_TYPE.floats);
    else a.packedInts(8, value.ints).int(20, ATTR_TYPE.ints);
    w.message(5, a);
  }
  return w;
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.int(2, t.data instanceof Float32Array ? FLOAT : INT64);
  w.string(8, t.name);
  // raw_data is little-endian; so are all the platforms onnxruntime-node ships for.
  if (os.endianness() !== 'LE') throw new Error('ONNX export needs a little-endian machine');
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

/**
 * Convenience for building graphs: adds nodes with fresh output names and initializers.
 * Used by the TF.js converter and by tests that make small models.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;
  private readonly names = new Set<string>();

  /** A name not used yet, derived from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    while (this.names.has(name)) name = `${hint}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  constFloat(hint: string, dims: number[], data: Float32Array | number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, data: data instanceof Float32Array ? data : Float32Array.from(data) });
    return name;
  }

  constInt64(hint: string, dims: number[], data: number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, data: BigInt64Array.from(data.map(BigInt)) });
    return name;
  }

  /** Adds a single-output node and returns its output name. */
  node(op: string, inputs: string[], attrs?: Record<string, OnnxAttr>, outputHint?: string): string {
    const output = this.fresh(outputHint ?? `${op}_out`);
    this.nodes.push({ op, inputs, outputs: [output], name: output, attrs });
    return output;
  }

  build(name: string, inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}
