/**
 * The TF.js -> ONNX converter and our protobuf writer:
 *  - what we write decodes with protobufjs against (a subset of) the real onnx.proto;
 *  - the bundled backbone converts, only the feature-vector subgraph, and loads in onnxruntime;
 *  - a small synthetic TF.js graph (SAME/VALID/EXPLICIT padding, stride 2 on odd sizes, dilation,
 *    depthwise with multiplier, residual add, per-channel Mul, pooling) matches TF.js's own CPU
 *    backend numerically;
 *  - an unsupported op throws naming the op and the node.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- protobufjs decodes the models into untyped objects */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import type { GraphModelArtifacts, GraphNode, WeightSpec } from '../../main/core/embedding/bundled-backbone.js';
import { convertBundledBackbone } from '../../main/core/embedding/onnx/bundled-onnx.js';
import { convertTfjsGraph } from '../../main/core/embedding/onnx/convert-tfjs.js';
import { encodeModel, GraphBuilder } from '../../main/core/embedding/onnx/onnx-model.js';
import { loadOrt } from '../../main/core/embedding/onnx/ort.js';

const require = createRequire(import.meta.url);

const ONNX_SUBSET = `
syntax = "proto2";
package onnx;
message AttributeProto { optional string name = 1; optional float f = 2; optional int64 i = 3; optional bytes s = 4;
  repeated float floats = 7; repeated int64 ints = 8; optional int32 type = 20; }
message NodeProto { repeated string input = 1; repeated string output = 2; optional string name = 3;
  optional string op_type = 4; repeated AttributeProto attribute = 5; }
message TensorProto { repeated int64 dims = 1; optional int32 data_type = 2; optional string name = 8; optional bytes raw_data = 9; }
message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; }
message TensorShapeProto { repeated Dimension dim = 1; }
message TensorTypeProto { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
message TypeProto { optional TensorTypeProto tensor_type = 1; }
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message GraphProto { repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message ModelProto { optional int64 ir_version = 1; optional string producer_name = 2; optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8; }
`;
const ModelProto = protobuf.parse(ONNX_SUBSET).root.lookupType('onnx.ModelProto');
const decode = (bytes: Uint8Array): any =>
  ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array, defaults: false });

test('the protobuf writer produces a ModelProto that protobufjs decodes', () => {
  const b = new GraphBuilder();
  const w = b.constFloat('w', [2, 1], [1.5, -2]);
  const axes = b.constInt64('axes', [1], [-1]);
  b.node('MatMul', ['x', w], { alpha: { f: 0.25 }, mode: { s: 'SAME_UPPER' }, perm: { ints: [0, -3, 300] }, group: { i: 7 } }, 'y');
  b.node('Squeeze', ['y', axes], { scales: { floats: [0.5, 2] } }, 'z');
  const model = decode(encodeModel(b.build('g', [{ name: 'x', shape: ['batch', 2] }], [{ name: 'z', shape: ['batch'] }])));

  assert.equal(model.irVersion, 8);
  assert.deepEqual(model.opsetImport, [{ domain: '', version: 13 }]);
  const g = model.graph;
  assert.equal(g.name, 'g');
  assert.deepEqual(g.node.map((n: any) => n.opType), ['MatMul', 'Squeeze']);
  const attrs = Object.fromEntries(g.node[0].attribute.map((a: any) => [a.name, a]));
  assert.equal(attrs.alpha.f, 0.25);
  assert.equal(Buffer.from(attrs.mode.s).toString(), 'SAME_UPPER');
  assert.deepEqual(attrs.perm.ints, [0, -3, 300]);
  assert.equal(attrs.group.i, 7);
  assert.deepEqual(g.node[1].attribute[0].floats, [0.5, 2]);
  assert.deepEqual(g.initializer[0].dims, [2, 1]);
  assert.deepEqual([...new Float32Array(Uint8Array.from(g.initializer[0].rawData).buffer)], [1.5, -2]);
  assert.equal(g.initializer[1].dataType, 7);
  assert.deepEqual(g.input[0].type.tensorType.shape.dim, [{ dimParam: 'batch' }, { dimValue: 2 }]);
});

test('the bundled backbone converts (up to its last convolutional map) and runs in onnxruntime', async () => {
  const start = performance.now();
  const bytes = convertBundledBackbone();
  const ms = performance.now() - start;
  const model = decode(bytes);
  const ops: Record<string, number> = {};
  for (const n of model.graph.node) ops[n.opType] = (ops[n.opType] ?? 0) + 1;
  // 35 regular + 17 depthwise convolutions, 10 residual adds; neither the graph's average pooling
  // (we pool the map with R-MAC) nor anything of the classifier head.
  assert.equal(ops.Conv, 52);
  assert.equal(ops.Add, 10);
  assert.equal(ops.AveragePool, undefined);
  assert.equal(ops.MatMul ?? ops.Gemm ?? ops.Softmax, undefined);

  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual(session.inputNames, ['input']);
  assert.deepEqual(session.outputNames, ['embedding']);
  const x = new ort.Tensor('float32', new Float32Array(2 * 224 * 224 * 3).fill(0.5), [2, 224, 224, 3]);
  const { embedding } = await session.run({ input: x });
  assert.deepEqual(embedding.dims, [2, 7, 7, 1792]); // NHWC, as TF.js gives it
  await session.release();
  console.log(`# backbone conversion: ${ms.toFixed(0)} ms, ${(bytes.length / 1e6).toFixed(1)} MB`);
});

// ---- a synthetic TF.js graph, checked against TF.js's reference CPU backend ----

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const list = (...i: number[]) => ({ list: { i: i.map(String) } });
const fused = (...ops: string[]) => ({ list: { s: ops.map(b64) } });

function synthetic(): GraphModelArtifacts {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const specs: WeightSpec[] = [];
  const chunks: Float32Array[] = [];
  const nodes: GraphNode[] = [
    { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '-1' }, { size: '10' }, { size: '10' }, { size: '2' }] } } } },
  ];
  const constant = (name: string, shape: number[]): string => {
    const n = shape.reduce((a, d) => a * d, 1);
    chunks.push(Float32Array.from({ length: n }, rand));
    specs.push({ name, shape, dtype: 'float32' });
    nodes.push({ name, op: 'Const', attr: {} });
    return name;
  };
  const conv = (name: string, op: string, inputs: string[], attr: Record<string, unknown>): string => {
    nodes.push({ name, op, input: inputs, attr: { data_format: { s: b64('NHWC') }, num_args: { i: '1' }, ...attr } });
    return name;
  };
  // 10x10x2 -> SAME 3x3 stride 2 (pads 0 before, 1 after, as TF does) -> 5x5x4
  const c1 = conv('c1', '_FusedConv2D', ['x', constant('w1', [3, 3, 2, 4]), constant('b1', [4])], {
    strides: list(1, 2, 2, 1), padding: { s: b64('SAME') }, dilations: list(1, 1, 1, 1), fused_ops: fused('BiasAdd', 'Relu6'),
  });
  // depthwise x2 multiplier, EXPLICIT pads, dilation 2 -> 5x5x8
  const d1 = conv('d1', 'FusedDepthwiseConv2dNative', [c1, constant('dw', [3, 3, 4, 2]), constant('db', [8])], {
    strides: list(1, 1, 1, 1), padding: { s: b64('EXPLICIT') }, explicit_paddings: list(0, 0, 2, 1, 1, 2, 0, 0),
    dilations: list(1, 2, 2, 1), fused_ops: fused('BiasAdd', 'Relu'),
  });
  const h = d1; // 5+3-4 = 4 rows, 5+3-4 = 4 cols: 4x4x8
  const p1 = conv('p1', '_FusedConv2D', [h, constant('pw', [1, 1, 8, 8]), constant('pb', [8])], {
    strides: list(1, 1, 1, 1), padding: { s: b64('VALID') }, dilations: list(1, 1, 1, 1), fused_ops: fused('BiasAdd'),
  });
  nodes.push({ name: 'res', op: 'AddV2', input: [h, p1] });
  nodes.push({ name: 'scaled', op: 'Mul', input: ['res', constant('gain', [8])] });
  nodes.push({ name: 'pool', op: 'MaxPool', input: ['scaled'], attr: { ksize: list(1, 3, 3, 1), strides: list(1, 2, 2, 1), padding: { s: b64('SAME') } } });
  nodes.push({ name: 'unused', op: 'Tanh', input: ['pool'] }); // not on the output's path
  const data = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.length;
  }
  return { modelTopology: { node: nodes, versions: { producer: 1 } }, weightSpecs: specs, weightData: data.buffer };
}

test('a synthetic graph converts and matches TF.js numerically', async () => {
  const artifacts = synthetic();
  const bytes = convertTfjsGraph(artifacts, { inputNode: 'x', outputNode: 'pool' });

  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts as never));
  const input = Float32Array.from({ length: 2 * 10 * 10 * 2 }, (_, i) => Math.sin(i));
  const expected = model.execute(tf.tensor4d(input, [2, 10, 10, 2]), 'pool') as import('@tensorflow/tfjs').Tensor;

  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(bytes);
  const { embedding } = await session.run({ input: new ort.Tensor('float32', input, [2, 10, 10, 2]) });
  assert.deepEqual(embedding.dims, expected.shape); // [2,2,2,8], NHWC like TF
  const want = expected.dataSync();
  const got = embedding.data as Float32Array;
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(want[i] - got[i]) < 1e-4, `element ${i}: ${got[i]} vs ${want[i]}`);
  await session.release();
});

test('an unsupported op throws an error naming the op and the node', () => {
  const artifacts = synthetic();
  assert.throws(() => convertTfjsGraph(artifacts, { inputNode: 'x', outputNode: 'unused' }), /Tanh.*node unused/);
});

test('an unsupported attribute throws naming the node', () => {
  const artifacts = synthetic();
  const c1 = artifacts.modelTopology.node.find((n) => n.name === 'c1')!;
  c1.attr!.data_format = { s: b64('NCHW') };
  assert.throws(() => convertTfjsGraph(artifacts, { inputNode: 'x', outputNode: 'pool' }), /_FusedConv2D \(node c1\).*data_format NCHW/);
});
