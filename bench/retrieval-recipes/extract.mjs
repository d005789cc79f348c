// Caches a feature map of the bundled MobileNetV2 for every photo of a labelled folder (photo and
// mirror, float16, NHWC), so that sweep.py can score pooling recipes without running the CNN again.
//   npm run build && node bench/retrieval-recipes/extract.mjs [size=224] [node=Conv_1/Relu6] [tag=conv1]
// CACHE (default /tmp/retrieval-cache) holds the maps; DATASET (default ../shared/datasets/caltech101-dev).
// Decoding is the product's (imaging/decode.ts); a size other than 224 is the same graph given a
// larger input (its convolutions do not care; the converter reads the input size from the graph).
import fs from 'node:fs';
import path from 'node:path';
const CACHE = process.env.CACHE ?? '/tmp/retrieval-cache';
fs.mkdirSync(CACHE, { recursive: true });
const D = new URL('../../dist/main/core', import.meta.url).pathname;
const { loadBackboneArtifacts, BACKBONE_INPUT_NODE } = await import(`${D}/embedding/bundled-backbone.js`);
const { convertTfjsGraph } = await import(`${D}/embedding/onnx/convert-tfjs.js`);
const { decodeFile } = await import(`${D}/imaging/decode.js`);
const { mirror } = await import(`${D}/embedding/flip-average.js`);
const ort = ((await import(new URL('../../node_modules/onnxruntime-node/dist/index.js', import.meta.url).pathname)));
const size = Number(process.argv[2] ?? 224);
const node = process.argv[3] ?? 'Conv_1/Relu6';
const tag = process.argv[4] ?? 'conv1';
const PREFIX = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/';
const a = loadBackboneArtifacts();
const nodes = JSON.parse(JSON.stringify(a.modelTopology.node));
const ph = nodes.find((n) => n.name === BACKBONE_INPUT_NODE);
const dims = ph.attr.shape.shape.dim; dims[1].size = String(size); dims[2].size = String(size);
const bytes = convertTfjsGraph({ ...a, modelTopology: { ...a.modelTopology, node: nodes } }, { inputNode: BACKBONE_INPUT_NODE, outputNode: PREFIX + node });
const modelPath = `${CACHE}/${tag}-${size}.onnx`;
fs.writeFileSync(modelPath, bytes);
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const root = process.env.DATASET ?? new URL('../../../shared/datasets/caltech101-dev', import.meta.url).pathname;
const files = [];
for (const c of fs.readdirSync(root).sort()) for (const f of fs.readdirSync(path.join(root, c)).sort()) files.push(path.join(c, f));
fs.writeFileSync(CACHE + '/files.txt', files.join('\n') + '\n');
let out = null;
const t0 = Date.now(); let cnnMs = 0;
for (let i = 0; i < files.length; i++) {
  const d = await decodeFile(path.join(root, files[i]), { cnnSize: size, thumbnail: false });
  const views = [d.cnnInput, mirror(d.cnnInput, size)];
  const data = new Float32Array(2 * size * size * 3);
  views.forEach((v, b) => { for (let j = 0; j < v.length; j++) data[b * v.length + j] = v[j] / 255; });
  const t = performance.now();
  const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [2, size, size, 3]) });
  cnnMs += performance.now() - t;
  const o = r[session.outputNames[0]];
  if (!out) { out = fs.openSync(`${CACHE}/${tag}-${size}.f16`, 'w'); console.log('shape', o.dims); fs.writeFileSync(`${CACHE}/${tag}-${size}.shape`, JSON.stringify(o.dims.slice(1))); }
  const h = new Uint16Array(o.data.length);
  // float32 -> float16 (truncating subnormals to zero: activations that small do not matter here)
  const f = o.data; const buf = new Float32Array(1); const u = new Uint32Array(buf.buffer);
  for (let j = 0; j < f.length; j++) { buf[0] = f[j]; const x = u[0]; const s = (x >>> 16) & 0x8000; let e = ((x >>> 23) & 0xff) - 127 + 15; let m = x & 0x7fffff;
    if (e <= 0) { h[j] = s; } else if (e >= 31) { h[j] = s | 0x7c00; } else { h[j] = s | (e << 10) | ((m + 0x1000) >>> 13); } }
  fs.writeSync(out, h);
  if (i % 200 === 0) console.log(i, ((Date.now() - t0) / (i + 1)).toFixed(1), 'ms/img', (cnnMs / (i + 1)).toFixed(1), 'cnn ms/img(2 views)');
}
fs.closeSync(out);
console.log('done', files.length, 'cnn ms per image (2 views):', (cnnMs / files.length).toFixed(1));
