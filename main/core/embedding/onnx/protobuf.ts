/**
 * A tiny protobuf *encoder*: just the wire types ONNX models need (varint, 32-bit float,
 * length-delimited). We write our own rather than depend on protobufjs at runtime because
 * protobufjs is only a dev dependency (the tests use it to decode what we write against the
 * real schema), and encoding is all the converter needs.
 *
 * Each message is built in its own writer; a parent embeds a finished child with `message()`.
 * That copies child bytes once per nesting level, which is fine for models of a few tens of MB.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private tag(field: number, wire: number): void {
    this.push(varint(BigInt((field << 3) | wire)));
  }

  /** int32/int64/uint64/enum/bool fields (negative numbers take the 10-byte two's complement form). */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.push(varint(BigInt(value)));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.push(varint(BigInt(data.length)));
    this.push(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, child: ProtoWriter): this {
    return this.bytes(field, child.finish());
  }

  /** Repeated scalar numeric field written packed (the proto3 default; proto2 parsers accept it). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.push(varint(BigInt(v)));
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    this.chunks = [out];
    return out;
  }
}

/** Base-128 varint; negatives are encoded as their 64-bit two's complement, like protobuf int64. */
function varint(value: bigint): Uint8Array {
  let v = value < 0n ? BigInt.asUintN(64, value) : value;
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}
